/**
 * redis-server processes of a test's own: on a free port, in a temporary directory, killed and
 * restarted at will. Also a small Cluster (redis-cli --cluster create) and a Sentinel.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Sends one inline command and returns the reply, or undefined when nothing answers. */
export function rawCommand(port: number, command: string, timeoutMs = 1000, useTls = false): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = useTls ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }) : net.connect({ host: '127.0.0.1', port });
    const done = (v: string | undefined) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeoutMs, () => done(undefined));
    s.on('error', () => done(undefined));
    s.once(useTls ? 'secureConnect' : 'connect', () => s.write(`${command}\r\n`));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      // A bulk reply: wait for its body.
      const bulk = /^\$(\d+)\r\n/.exec(buf);
      if (bulk ? buf.length >= bulk[0].length + Number(bulk[1]) : buf.includes('\r\n')) done(buf);
    });
  });
}

export interface RedisServerOptions {
  /** Default: a free port. */
  port?: number;
  /** Extra redis-server arguments, e.g. ['--appendonly', 'yes', '--appendfsync', 'always']. */
  args?: string[];
  /** Serve TLS only, on the port, with these PEM files (see `makeTestCertificates`). */
  tls?: { cert: string; key: string; ca: string };
  /** Run as a Sentinel (the config file is written for you from `sentinelConfig`). */
  sentinelConfig?: string;
}

export class RedisServerProcess {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts a server in a new temporary directory on a free port, and waits until it answers. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServerProcess> {
    const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-redis-'));
    const server = new RedisServerProcess(options.port ?? (await freePort()), dir, options);
    await server.launch();
    return server;
  }

  /** Starts the server again on the same port and directory (it reads its AOF back). */
  async restart(): Promise<void> {
    if (this.child) throw new Error('the server is still running');
    await this.launch();
  }

  /** Kills the server (SIGKILL by default: no shutdown, no final fsync) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  /** Kills the server and removes its directory. */
  async stop(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** What the server printed, for failure messages. */
  log(): string {
    return this.output;
  }

  private async launch(): Promise<void> {
    let args: string[];
    if (this.options.sentinelConfig !== undefined) {
      const conf = path.join(this.dir, 'sentinel.conf');
      await writeFile(conf, `port ${this.port}\nbind 127.0.0.1\ndir ${this.dir}\n${this.options.sentinelConfig}\n`);
      args = [conf, '--sentinel'];
    } else {
      const t = this.options.tls;
      const listen = t
        ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', t.cert, '--tls-key-file', t.key, '--tls-ca-cert-file', t.ca, '--tls-auth-clients', 'no']
        : ['--port', String(this.port)];
      args = [...listen, '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no', ...(this.options.args ?? [])];
    }
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const collect = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-20_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });
    for (let i = 0; i < 200; i++) {
      if (spawnError) break;
      if (child.exitCode !== null) break;
      // NOAUTH: a server with a password is up too.
      if (/^(\+PONG|-NOAUTH)/.test((await rawCommand(this.port, 'PING', 200, !!this.options.tls)) ?? '')) return;
      await sleep(50);
    }
    // Never leave a half-started server behind.
    await this.kill();
    if (spawnError) throw spawnError;
    throw new Error(`redis-server on port ${this.port} did not start (exit ${child.exitCode}):\n${this.output}`);
  }
}

/** A Redis Cluster of `masters` nodes without replicas, created with redis-cli. */
export class RedisClusterProcesses {
  private constructor(readonly nodes: RedisServerProcess[]) {}

  get url(): string {
    return `redis-cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  static async start(masters = 3): Promise<RedisClusterProcesses> {
    const nodes: RedisServerProcess[] = [];
    try {
      for (let i = 0; i < masters; i++) {
        nodes.push(await RedisServerProcess.start({ args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'] }));
      }
      const r = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      if (r.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${r.stdout}\n${r.stderr}`);
      for (let i = 0; i < 200; i++) {
        const states = await Promise.all(nodes.map((n) => rawCommand(n.port, 'CLUSTER INFO')));
        if (states.every((s) => s?.includes('cluster_state:ok'))) return new RedisClusterProcesses(nodes);
        await sleep(50);
      }
      throw new Error('the cluster did not reach cluster_state:ok within 10 s');
    } catch (err) {
      await Promise.all(nodes.map((n) => n.stop()));
      throw err;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}

/** One Redis master and one Sentinel watching it as "mymaster". */
export class RedisSentinelProcesses {
  private constructor(
    readonly master: RedisServerProcess,
    readonly sentinel: RedisServerProcess,
  ) {}

  get url(): string {
    return `redis-sentinel://127.0.0.1:${this.sentinel.port}/mymaster`;
  }

  static async start(): Promise<RedisSentinelProcesses> {
    const master = await RedisServerProcess.start();
    try {
      const sentinel = await RedisServerProcess.start({
        sentinelConfig: [`sentinel monitor mymaster 127.0.0.1 ${master.port} 1`, 'sentinel down-after-milliseconds mymaster 5000'].join('\n'),
      });
      return new RedisSentinelProcesses(master, sentinel);
    } catch (err) {
      await master.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.sentinel.stop(), this.master.stop()]);
  }
}

/**
 * A test CA and a server certificate for 127.0.0.1 and localhost signed by it, made with the
 * openssl command in `dir`. Returns the PEM file paths.
 */
export function makeTestCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const steps = [
    ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Namndbot test CA'],
    ['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost'],
    ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('ext.cnf')],
  ];
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const args of steps) {
    const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr || r.error?.message}`);
  }
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}
