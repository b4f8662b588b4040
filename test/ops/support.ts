/**
 * For the operations tests: the real bot as a child process (`tsx bin/main.ts start`, what
 * `npm start` runs) on a free local port, its log lines captured, and small HTTP helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ALL_SETTINGS } from '../../bin/cli/config-check';

export const ROOT = path.join(__dirname, '../..');
export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
export const EXAMPLE = path.join(ROOT, 'examples/kfn.yaml');

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** The environment without any of the bot's settings from outside (a developer's shell, CI). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const s of ALL_SETTINGS) delete env[s.env];
  delete env.NODE_ENV;
  return { ...env, ...extra };
}

export interface SpawnedBot {
  child: ChildProcess;
  url: string;
  /** stdout so far (the JSON log lines, in server mode). */
  stdout(): string;
  stderr(): string;
  /** Parsed JSON log lines. */
  logs(): Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once a log line satisfies `check`. */
  waitForLog(check: (line: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  /** SIGKILL to the whole process group if still running: for afterAll. */
  kill(): Promise<void>;
}

/**
 * Starts the bot and waits until /readyz answers 200. `runner` 'node' is what `npm start` runs
 * (`node --require tsx/cjs`: one process, tsx only compiling the TypeScript as it is required);
 * 'tsx' runs it through the tsx command-line tool, which runs the bot in a child process and
 * relays signals to it (and kills the child with SIGKILL when it does not confirm a relayed
 * SIGTERM within 30 ms, which a busy bot may not; see docs/it/operations.md).
 */
export async function spawnBot(options: { env: Record<string, string>; args?: string[]; port: number; readyMs?: number; runner?: 'tsx' | 'node' }): Promise<SpawnedBot> {
  const [command, prefix] = options.runner === 'node' ? [process.execPath, ['--require', 'tsx/cjs']] : [TSX, []];
  const child = spawn(command, [...prefix, 'bin/main.ts', ...(options.args ?? ['start'])], {
    cwd: ROOT,
    env: cleanEnv({ NAMNDBOT_PORT: String(options.port), ...options.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: tsx runs the bot in a child process, and kill() must reach both.
    detached: true,
  });
  let out = '';
  let err = '';
  const waiters: { check: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  const parsed: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    partial += d.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      parsed.push(obj);
      for (const w of waiters.splice(0)) {
        if (w.check(obj)) w.resolve(obj);
        else waiters.push(w);
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${options.port}`;
  const bot: SpawnedBot = {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    logs: () => parsed,
    exited,
    waitForLog(check, ms = 10_000) {
      const found = parsed.find(check);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no such log line within ${ms} ms; stderr: ${err.slice(-2000)}`)), ms);
        waiters.push({ check, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
        await exited;
      }
    },
  };
  const deadline = Date.now() + (options.readyMs ?? 20_000);
  for (;;) {
    const exit = await Promise.race([exited, new Promise((r) => setTimeout(r, 150, undefined))]);
    if (exit) throw new Error(`the bot exited before it was ready: ${JSON.stringify(exit)}\nstderr: ${err}\nstdout: ${out.slice(-2000)}`);
    const status = await get(`${url}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) return bot;
    if (Date.now() > deadline) {
      await bot.kill();
      throw new Error(`the bot was not ready within ${options.readyMs ?? 20_000} ms\nstderr: ${err}\nstdout: ${out.slice(-2000)}`);
    }
  }
}

/** Sends `signal` to the bot (null: none, only waits) and waits (at most `ms`) for it to exit. */
export async function stopBot(bot: SpawnedBot, signal: NodeJS.Signals | null = 'SIGTERM', ms = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'> {
  if (signal) bot.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([bot.exited, new Promise<'timeout'>((r) => (timer = setTimeout(r, ms, 'timeout')))]);
  clearTimeout(timer);
  await bot.kill();
  return exit;
}

export interface Answer {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
}

export function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A sample value of one Prometheus series, e.g. metric('namndbot_commands_total', { command: 'jav.declare' }). Sums the matching series. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^[^{\s]+(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const have = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[2]);
  }
  return sum;
}

/**
 * A delaying HTTP proxy in front of a fake: requests whose path matches `hold` wait `holdMs`
 * before they are passed on. Stands in for a slow Slack.
 */
export async function delayingProxy(target: string, hold: (path: string) => boolean, holdMs: number): Promise<{ url: string; held: () => number; stop: () => Promise<void> }> {
  const t = new URL(target);
  let held = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = () => {
        const up = request(
          { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: { ...req.headers, host: t.host }, agent: false },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on('error', () => res.writeHead(502).end());
        up.end(Buffer.concat(chunks));
      };
      if (hold(req.url ?? '')) {
        held++;
        setTimeout(forward, holdMs);
      } else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
