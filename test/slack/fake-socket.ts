/**
 * A fake Socket Mode endpoint: a bare WebSocket server (RFC 6455, text frames only) that says
 * hello like Slack, sends envelopes, and records what the client sends back (acknowledgements).
 * Hand-written so the tests need no WebSocket package of their own.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class FakeSocketMode {
  readonly received: Record<string, unknown>[] = [];
  private server: Server | undefined;
  private socket: Duplex | undefined;
  private connected: (() => void) | undefined;
  readonly connection = new Promise<void>((resolve) => (this.connected = resolve));

  get url(): string {
    return `ws://127.0.0.1:${(this.server!.address() as AddressInfo).port}/link/?ticket=test`;
  }

  async start(): Promise<this> {
    this.server = createServer((_req, res) => {
      res.writeHead(426);
      res.end();
    });
    this.server.on('upgrade', (req, socket) => {
      const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}${GUID}`).digest('base64');
      socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
      this.socket = socket;
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          const frame = readFrame(buffered);
          if (!frame) break;
          buffered = buffered.subarray(frame.size);
          if (frame.opcode === 0x1) this.received.push(JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>);
          else if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload));
          else if (frame.opcode === 0x8) {
            socket.end(encodeFrame(0x8, frame.payload.subarray(0, 2)));
          }
        }
      });
      socket.on('error', () => undefined);
      this.sendJson({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0NAMNDBOT' } });
      this.connected?.();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  sendJson(message: unknown): void {
    this.socket?.write(encodeFrame(0x1, Buffer.from(JSON.stringify(message), 'utf8')));
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([0x80 | opcode, 127]), u64(len)]);
  return Buffer.concat([head, payload]);
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** One complete (client, so masked) frame at the start of `buf`, or undefined if more is needed. */
function readFrame(buf: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskLen = masked ? 4 : 0;
  if (buf.length < offset + maskLen + len) return undefined;
  const mask = buf.subarray(offset, offset + maskLen);
  const payload = Buffer.from(buf.subarray(offset + maskLen, offset + maskLen + len));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  return { opcode, payload, size: offset + maskLen + len };
}
