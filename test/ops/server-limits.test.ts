/**
 * The one HTTP server's limits against slow and vanishing clients, and the /metrics token: a
 * request that does not arrive in time gets 408 and its connection closed; a client that goes
 * away mid-body is a debug line, not an error; /metrics with a token set answers only that token.
 */
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { BotServer, type BotServerOptions } from '../../bin/server';

interface LogLine {
  level: number;
  msg: string;
  path?: string;
}

/** A server with one POST route that echoes, and a logger whose lines the test reads. */
async function serve(extra: Partial<BotServerOptions>): Promise<{ port: number; lines: LogLine[]; server: BotServer }> {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const server = new BotServer({
    routes: [{ method: 'POST', path: '/echo', handle: (_req, res) => void res.end('ok') }],
    logger: pino({ level: 'debug' }, sink),
    maxBodyBytes: 1024 * 1024,
    ready: async () => true,
    metrics: { text: async () => 'namndbot_up 1\n', contentType: 'text/plain' },
    ...extra,
  });
  const port = await server.listen(0, '127.0.0.1');
  return { port, lines, server };
}

/** Everything the server writes until it closes the connection. */
function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
}

async function getMetrics(port: number, authorization?: string): Promise<{ status: number; body: string; challenge: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, authorization ? { headers: { authorization } } : {});
  return { status: res.status, body: await res.text(), challenge: res.headers.get('www-authenticate') };
}

test('a body that stalls gets 408 and the connection closed once the request timeout has passed', async () => {
  const { port, server } = await serve({ requestTimeoutMs: 1_000 });
  try {
    const socket = connect(port, '127.0.0.1');
    const answer = readUntilClosed(socket);
    // Promises 1000 bytes, sends 10, then nothing: before the timeout this held memory for 300 s.
    socket.write('POST /echo?who=x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n0123456789');
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  } finally {
    await server.close();
  }
}, 15_000);

test('a client that goes away mid-body is logged at debug without its query string, never as an error', async () => {
  const { port, lines, server } = await serve({});
  try {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /echo?email=amira@example.se HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n0123456789');
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    for (let i = 0; i < 50 && !lines.some((l) => l.msg.includes('went away')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 20, msg: 'client went away before its request had arrived', path: '/echo' }));
    expect(JSON.stringify(lines)).not.toContain('amira');
  } finally {
    await server.close();
  }
});

test('/metrics with a token set answers only that bearer token; without one it stays open', async () => {
  const token = 'a-metrics-token-of-32-characters';
  const guarded = await serve({ metricsToken: token });
  const open = await serve({});
  try {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token!!', `Basic ${token}`, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`]) {
      const res = await getMetrics(guarded.port, authorization);
      expect({ authorization, status: res.status, challenge: res.challenge }).toEqual({ authorization, status: 401, challenge: 'Bearer realm="metrics"' });
      expect(res.body).not.toContain('namndbot_up');
    }
    expect(await getMetrics(guarded.port, `Bearer ${token}`)).toMatchObject({ status: 200, body: 'namndbot_up 1\n' });
    expect(await getMetrics(open.port)).toMatchObject({ status: 200, body: 'namndbot_up 1\n' });
  } finally {
    await guarded.server.close();
    await open.server.close();
  }
});
