/**
 * A fake Slack for the adapter's end-to-end tests and the benchmark: the Web API (every call
 * recorded with its method and body, answered like Slack), response_urls, and file upload URLs.
 * Point the adapter at it with `clientOptions: { slackApiUrl: fake.apiUrl }`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
}
export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}
export interface Upload {
  fileId: string;
  bytes: Buffer;
}

export const BOT_USER_ID = 'UBOT000001';
export const BOT_ID = 'BBOT000001';
export const TEAM_ID = 'T0NAMNDBOT';

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly uploads: Upload[] = [];
  /** Web API method → Slack error code it answers with (`ok: false`), or a function deciding per call. */
  readonly failures = new Map<string, string | ((body: Record<string, unknown>) => string | undefined)>();
  /**
   * The workspace's people with their e-mail addresses, for users.info and users.lookupByEmail
   * (scope users:read.email). Slack holds one account per address; when a test gives two,
   * lookupByEmail names the first, as the one account Slack would give.
   */
  users: { id: string; email?: string }[] = [];
  /** Files people shared, served at their url_private to the bot token only. */
  readonly files = new Map<string, Buffer>();
  /** Every download of a shared file, with the Authorization header it came with. */
  readonly downloads: { path: string; authorization?: string }[] = [];
  /** What apps.connections.open hands out (Socket Mode tests). */
  socketUrl = 'ws://127.0.0.1:9/none';
  /** Record only counts (the benchmark), not bodies. */
  recordBodies = true;
  counts = new Map<string, number>();
  /** The TCP connections posts to a response_url came on (one per kept-alive connection). */
  readonly responseConnections = new Set<Socket>();
  private server: Server | undefined;
  private seq = 0;
  private waiters: (() => void)[] = [];

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }
  /** A fresh response_url, as Slack puts in every command and interaction. */
  responseUrl(): string {
    return `http://127.0.0.1:${this.port}/respond/R${++this.seq}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if ((req.url ?? '').startsWith('/respond/')) this.responseConnections.add(req.socket);
      void this.handle(req).then(
        ({ status, body }) => {
          if (Buffer.isBuffer(body)) {
            res.writeHead(status, { 'content-type': 'application/octet-stream' });
            res.end(body);
            return;
          }
          res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
          res.end(typeof body === 'string' ? body : JSON.stringify(body));
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** A file as a file_share message event carries it; its bytes are served at url_private_download. */
  shareFile(name: string, bytes: Uint8Array, size = bytes.length): Record<string, unknown> {
    const id = `F${++this.seq}`;
    const path = `/files-pri/${TEAM_ID}-${id}/download/${encodeURIComponent(name)}`;
    this.files.set(path, Buffer.from(bytes));
    return { id, name, title: name, size, mimetype: 'application/octet-stream', url_private: `http://127.0.0.1:${this.port}${path}`, url_private_download: `http://127.0.0.1:${this.port}${path}` };
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves when `check` holds (checked after every request), or rejects after `ms`. */
  async waitFor<T>(check: () => T | undefined | false, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error('timed out waiting for the fake Slack');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.uploads.length = 0;
    this.failures.clear();
    this.counts.clear();
    this.responseConnections.clear();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    try {
      if (url.pathname.startsWith('/respond/')) {
        const id = url.pathname.slice('/respond/'.length);
        this.count('response_url');
        if (this.recordBodies) this.responses.push({ id, body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> });
        return { status: 200, body: 'ok' };
      }
      if (url.pathname.startsWith('/upload/')) {
        const fileId = url.pathname.slice('/upload/'.length);
        const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
        const blob = form.get('body') as Blob | null;
        this.uploads.push({ fileId, bytes: blob ? Buffer.from(await blob.arrayBuffer()) : raw });
        return { status: 200, body: `OK - ${raw.length}` };
      }
      if (url.pathname.startsWith('/files-pri/')) {
        this.downloads.push({ path: url.pathname, authorization: req.headers.authorization });
        const bytes = this.files.get(url.pathname);
        if (!bytes) return { status: 404, body: 'not found' };
        // Without the bot token Slack answers a login page, not the file.
        if (req.headers.authorization !== 'Bearer xoxb-test-token') return { status: 302, body: 'login' };
        return { status: 200, body: bytes };
      }
      if (!url.pathname.startsWith('/api/')) return { status: 404, body: 'not found' };
      const method = url.pathname.slice('/api/'.length);
      const body = parseApiBody(raw, String(req.headers['content-type'] ?? ''));
      this.count(method);
      if (this.recordBodies) this.calls.push({ method, body });
      const failure = this.failures.get(method);
      const error = typeof failure === 'function' ? failure(body) : failure;
      if (error) return { status: 200, body: { ok: false, error } };
      return { status: 200, body: this.answer(method, body) };
    } finally {
      this.notify();
    }
  }

  private count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const n = ++this.seq;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://namndbot-test.slack.com/', team: 'Test', user: 'namndbot', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID };
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish': {
        const view = (body.view ?? {}) as Record<string, unknown>;
        return { ok: true, view: { ...view, id: typeof body.view_id === 'string' ? body.view_id : `V${n}`, hash: `h${n}`, team_id: TEAM_ID } };
      }
      case 'users.info': {
        const user = this.users.find((u) => u.id === body.user);
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: user.id, team_id: TEAM_ID, profile: user.email ? { email: user.email } : {} } };
      }
      case 'users.lookupByEmail': {
        const email = String(body.email ?? '').toLowerCase();
        const user = this.users.find((u) => u.email?.toLowerCase() === email);
        if (!user) return { ok: false, error: 'users_not_found' };
        return { ok: true, user: { id: user.id, team_id: TEAM_ID, profile: { email: user.email } } };
      }
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users ?? 'X').replace(/^U/, '')}` } };
      case 'chat.postMessage':
        return { ok: true, channel: body.channel, ts: `1700000000.${String(n).padStart(6, '0')}`, message: { text: body.text } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(n).padStart(6, '0')}` };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/F${n}`, file_id: `F${n}` };
      case 'files.completeUploadExternal': {
        const files = (body.files ?? []) as { id: string; title?: string }[];
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        return { ok: true };
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The Web API client sends url-encoded forms with objects as JSON strings; some clients send JSON. */
function parseApiBody(raw: Buffer, contentType: string): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) return JSON.parse(text || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parseQuery(text))) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && /^[[{]/.test(s)) {
      try {
        out[k] = JSON.parse(s);
        continue;
      } catch {
        // a plain string that happens to start with a bracket
      }
    }
    out[k] = s;
  }
  return out;
}
