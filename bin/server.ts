/**
 * The one HTTP server a Nämndbot process runs: the Slack endpoint, Teams' /api/messages,
 * /healthz (alive), /readyz (Store reachable, adapters started) and /metrics, on one port.
 *
 * It bounds request bodies before any adapter reads them, and on shutdown stops taking new
 * requests and waits for those in flight, so nothing acknowledged is cut off.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Logger } from '../src/core/logger';

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface BotServerOptions {
  routes: Route[];
  logger: Logger;
  /** Bodies larger than this are refused with 413 before an adapter sees them. */
  maxBodyBytes: number;
  /** For /readyz: the Store answers and the adapters have started. */
  ready(): Promise<boolean>;
  metrics?: { text(): Promise<string>; contentType: string };
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export class BotServer {
  private readonly server: Server;
  private inFlight = 0;
  private idle: (() => void) | undefined;
  private closing = false;

  constructor(private readonly options: BotServerOptions) {
    this.server = createHttpServer((req, res) => void this.route(req, res));
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops taking requests, waits (at most `graceMs`) for those in flight, then closes. */
  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      await Promise.race([new Promise<void>((resolve) => (this.idle = resolve)), new Promise((r) => setTimeout(r, graceMs).unref())]);
    }
    this.server.closeAllConnections();
    await closed;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    res.once('close', () => {
      if (--this.inFlight === 0 && this.idle) this.idle();
    });
    if (this.closing) res.setHeader('Connection', 'close');
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/healthz') return text(res, 200, 'ok');
      if (req.method === 'GET' && url.pathname === '/readyz') {
        const ready = !this.closing && (await this.options.ready().catch(() => false));
        return text(res, ready ? 200 : 503, ready ? 'ready' : 'not ready');
      }
      if (req.method === 'GET' && url.pathname === '/metrics' && this.options.metrics) {
        res.writeHead(200, { 'Content-Type': this.options.metrics.contentType });
        res.end(await this.options.metrics.text());
        return;
      }
      const route = this.options.routes.find((r) => r.path === url.pathname);
      if (!route) return text(res, 404, 'not found');
      if (req.method !== route.method) return text(res, 405, 'method not allowed');
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > this.options.maxBodyBytes) return this.tooLarge(req, res, url.pathname, length);
      // Read the body here, counting bytes: a chunked body has no content-length, and Bolt's own
      // limit (4 MB) is not ours. The adapter gets a copy that replays it (and Bolt's rawBody).
      const body = await readBounded(req, this.options.maxBodyBytes);
      if (body === undefined) return this.tooLarge(req, res, url.pathname, undefined);
      await route.handle(replay(req, body), res);
    } catch (err) {
      if (err instanceof ClientGoneError) return;
      this.options.logger.error({ err: err instanceof Error ? err.name : 'error', path: req.url }, 'request failed');
      if (!res.headersSent) text(res, 500, 'internal error');
    }
  }

  /** 413, then close the connection: the rest of the body is never read. */
  private tooLarge(req: IncomingMessage, res: ServerResponse, path: string, length: number | undefined): void {
    this.options.logger.warn({ path, ...(length !== undefined ? { length } : { chunked: true }) }, 'request body too large');
    res.once('finish', () => req.socket.destroy());
    res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
    res.end('request body too large');
  }
}

class ClientGoneError extends Error {}

/** The whole body, or undefined as soon as it passes `max` bytes (the rest is left unread). */
function readBounded(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
    // The client went away mid-body: nothing to answer.
    req.once('close', () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
}

/**
 * A request that reads as `body`, with the original's method, url, headers and socket. `rawBody`
 * is where Bolt looks for a body already read (HTTPModuleFunctions.bufferIncomingMessage).
 */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = Readable.from(body.length ? [body] : [], { objectMode: false });
  return Object.assign(copy, {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    method: req.method,
    url: req.url,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: true,
    rawBody: body,
  }) as unknown as IncomingMessage;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}
