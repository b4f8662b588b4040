/**
 * The one HTTP server a Nämndbot process runs: the Slack endpoint, Teams' /api/messages,
 * /healthz (alive), /readyz (Store reachable, adapters started) and /metrics, on one port.
 *
 * It bounds request bodies before any adapter reads them and bounds how long a request may take to
 * arrive (a slow or stalled client gets 408 and its connection closed, instead of holding memory
 * for Node's default 300 s); a client that goes away mid-request is logged at debug only. On
 * shutdown it stops taking new requests and waits for those in flight, so nothing acknowledged is
 * cut off. /metrics may require a bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
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
  /** Headers and body must have arrived within this; otherwise 408 and the connection is closed. */
  requestTimeoutMs?: number;
  /** When set, /metrics answers only `Authorization: Bearer <token>`; others get 401. */
  metricsToken?: string;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Headers come first and are small: they get at most this long, however long a body may take. */
const MAX_HEADERS_TIMEOUT_MS = 10_000;

export class BotServer {
  private readonly server: Server;
  private inFlight = 0;
  private idle: (() => void) | undefined;
  private closing = false;

  constructor(private readonly options: BotServerOptions) {
    const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.server = createHttpServer(
      {
        requestTimeout,
        headersTimeout: Math.min(requestTimeout, MAX_HEADERS_TIMEOUT_MS),
        // How often Node looks for requests past their time (its default, 30 s, would let a short
        // timeout run far over).
        connectionsCheckingInterval: Math.min(1_000, requestTimeout),
      },
      (req, res) => void this.route(req, res),
    );
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
        if (this.options.metricsToken !== undefined && !bearerMatches(req, this.options.metricsToken)) {
          res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="metrics"' });
          res.end('unauthorized');
          return;
        }
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
      if (err instanceof ClientGoneError) {
        // Not our failure (a closed tab, a proxy giving up, a request past its time): no error line.
        this.options.logger.debug({ path: pathOf(req) }, 'client went away before its request had arrived');
        return;
      }
      this.options.logger.error({ err: err instanceof Error ? err.name : 'error', path: pathOf(req) }, 'request failed');
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
    // An error before the body is complete is the client going away (ECONNRESET, 'aborted', or
    // the server closing a request past its time): nothing to answer.
    req.once('error', (err) => reject(req.complete ? err : new ClientGoneError()));
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

/** The path without the query string: a query may carry anything, and logs carry no personal data. */
function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!;
}

/** Compared in constant time over digests, so neither the token's content nor its length leaks. */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}
