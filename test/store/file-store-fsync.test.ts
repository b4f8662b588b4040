/**
 * One fsync per recording command on the file store (issue 18): the delivery's once-mark rides
 * in the same line as the records, so a command that records costs one write and one
 * fdatasync, and a crash keeps both or neither. Counted on the real system calls (every
 * FileHandle sync and datasync, and the fs module's own), not on the store's counters.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core } from '../../src/core/core';
import type { Incoming } from '../../src/core/incoming';
import { ManualClock } from '../../src/domain/clock';
import { FileStore, streamFileName } from '../../src/store/file-store';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'kfn.yaml');

let syncs = 0;
const restores: (() => void)[] = [];

/** Counts every call of `name` on `target` from now on. */
function count(target: Record<string, unknown>, name: string): void {
  const original = target[name] as (...args: unknown[]) => unknown;
  target[name] = function (this: unknown, ...args: unknown[]) {
    syncs++;
    return original.apply(this, args);
  };
  restores.push(() => (target[name] = original));
}

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'namndbot-fsync-'));
  // FileHandle's prototype, through a handle of our own.
  const fh = await fs.open(path.join(dir, 'probe'), 'w');
  const handleProto = Object.getPrototypeOf(fh) as Record<string, unknown>;
  await fh.close();
  for (const name of ['sync', 'datasync']) count(handleProto, name);
  // The fs module itself (the object every importer shares), for any callback or sync variant.
  for (const name of ['fsync', 'fdatasync', 'fsyncSync', 'fdatasyncSync']) count(require('node:fs') as Record<string, unknown>, name);
});

afterAll(async () => {
  for (const restore of restores) restore();
  await fs.rm(dir, { recursive: true, force: true });
});

test('a recording command costs exactly one fsync, its delivery mark included; an answer costs one too', async () => {
  const committee = await loadCommitteeFile(EXAMPLE);
  const dataDir = path.join(dir, 'data');
  const store = await FileStore.open({ dataDir });
  try {
    const core = new Core({ committees: [committee], store, clock: new ManualClock('2027-01-10T10:00:00+01:00') });
    const member = committee.members.find((m) => m.role === 'ledamot' && m.identities.console)!;
    let n = 0;
    const say = (text: string): Incoming => ({ deliveryId: `d${++n}`, platform: 'console', platformUserId: member.identities.console!, place: { kind: 'private' }, input: { kind: 'text', text } });
    // The first record of a committee also creates its stream file (and syncs the folder).
    expect((await core.handle(say('övrig fråga Hur går det med biblioteket?'))).map((r) => r.message.text).join()).toMatch(/^Din övriga fråga/);

    const perCommand: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = syncs;
      const replies = await core.handle(say(`övrig fråga Fråga nummer ${i} om lokalerna?`));
      expect(replies.map((r) => r.message.text).join()).toMatch(/^Din övriga fråga/);
      perCommand.push(syncs - before);
    }
    expect(perCommand).toEqual(Array(10).fill(1));

    // A command that only answers sets its delivery mark alone: one fsync as well (after the
    // first, which creates marks.jsonl).
    expect((await core.handle(say('möten'))).length).toBeGreaterThan(0);
    const before = syncs;
    expect((await core.handle(say('möten'))).length).toBeGreaterThan(0);
    expect(syncs - before).toBe(1);

    // The marks are in the stream's lines, and a redelivery is still refused after a restart.
    const lines = (await fs.readFile(path.join(dataDir, 'streams', streamFileName(committee.id)), 'utf8')).trim().split('\n');
    expect(lines.slice(1).every((l) => (JSON.parse(l) as { m?: unknown }).m !== undefined)).toBe(true);
  } finally {
    await store.close();
  }
  const reopened = await FileStore.open({ dataDir });
  try {
    const core = new Core({ committees: [committee], store: reopened, clock: new ManualClock('2027-01-10T10:05:00+01:00') });
    const member = committee.members.find((m) => m.role === 'ledamot' && m.identities.console)!;
    const again = await core.handle({ deliveryId: 'd5', platform: 'console', platformUserId: member.identities.console!, place: { kind: 'private' }, input: { kind: 'text', text: 'övrig fråga Fråga nummer 3 om lokalerna?' } });
    expect(again).toEqual([]);
    const events = await reopened.readEvents(committee.id, 0);
    expect(events.filter((e) => e.type === 'fraga.announced')).toHaveLength(11);
  } finally {
    await reopened.close();
  }
});

test('a redact rewrites a stream without its marks; marks.jsonl takes them over first, so they live on after a restart', async () => {
  const dataDir = path.join(dir, 'redact');
  const clock = new ManualClock('2027-01-10T10:00:00+01:00');
  const event = (id: string) => ({ id, at: clock.now().toISOString(), actor: { via: 'console' as const }, type: 'fraga.withdrawn' as const, questionId: id });
  const store = await FileStore.open({ dataDir, clock });
  try {
    await store.append('s', [event('q1')], 0, [{ key: 'delivery:one', ttlMs: 3_600_000 }]);
    await store.append('s', [event('q2')], 1, [{ key: 'delivery:two', ttlMs: 3_600_000 }]);
    const [first] = await store.readEvents('s', 0);
    await store.redact('s', [{ ...first!, questionId: 'gallrad' } as typeof first & object]);
    expect(await fs.readFile(path.join(dataDir, 'streams', streamFileName('s')), 'utf8')).not.toContain('delivery:');
  } finally {
    await store.close();
  }
  const reopened = await FileStore.open({ dataDir, clock });
  try {
    expect(await reopened.markOnce('delivery:one', 1000)).toBe(false);
    expect(await reopened.markOnce('delivery:two', 1000)).toBe(false);
    expect(await reopened.markOnce('delivery:three', 1000)).toBe(true);
  } finally {
    await reopened.close();
  }
});
