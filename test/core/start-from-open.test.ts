/**
 * A start reads a committee's history once: the file store hands each stream's records over as
 * it has validated them at open, they are folded then (`foldInto`), and the core starts from those
 * states, so its first command reads nothing back (the file store knows the state is current).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApp } from '../../bin/app';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core } from '../../src/core/core';
import { toPlainText } from '../../src/core/message';
import { ManualClock } from '../../src/domain/clock';
import type { StoredEvent } from '../../src/domain/records';
import { applyEvent, emptyState, foldInto, type CommitteeState } from '../../src/domain/state';
import { FileStore, streamFileName } from '../../src/store/file-store';
import { EXAMPLE } from '../support/harness';

const NOW = '2027-01-10T10:00:00+01:00';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-start-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** Records made the ordinary way: a core on the folder, commands one at a time and together. */
async function recordHistory(): Promise<StoredEvent[]> {
  const clock = new ManualClock(NOW);
  const store = await FileStore.open({ dataDir: dir, clock });
  try {
    const core = new Core({ committees: [await loadCommitteeFile(EXAMPLE)], store, clock });
    let n = 0;
    const say = (who: string, text: string) => core.handle({ deliveryId: `h-${++n}`, platform: 'console', platformUserId: who, place: { kind: 'private' }, input: { kind: 'text', text } });
    await say('amira.haddad', 'jäv 3 part');
    await say('amira.haddad', 'jäv återkalla J1');
    // Together: one append, several records on one line of the file.
    await Promise.all([say('amira.haddad', 'jäv 3 part'), say('amira.haddad', 'övrig fråga Hur går det med bygglovet?'), say('tomas.engstrom', 'övrig fråga Och skolan?')]);
    return store.readEvents('kfn', 0);
  } finally {
    await store.close();
  }
}

const say = (core: Core, who: string, text: string, id: string) =>
  core.handle({ deliveryId: id, platform: 'console', platformUserId: who, place: { kind: 'private' }, input: { kind: 'text', text } }).then((r) => r.map((o) => toPlainText(o.message)).join('\n'));

test('open hands over every record once, in order, as validated; folded they are the state a read from the start gives', async () => {
  const history = await recordHistory();
  expect(history.length).toBeGreaterThanOrEqual(5);
  const handed: StoredEvent[] = [];
  const parts: number[] = [];
  const states = new Map<string, CommitteeState>();
  const store = await FileStore.open({
    dataDir: dir,
    onRecordsLoaded: (stream, records) => {
      expect(stream).toBe('kfn');
      handed.push(...records);
      parts.push(records.length);
      foldInto(states, stream, records);
    },
  });
  await store.close();
  expect(handed).toEqual(history);
  // One part per stream, once the stream has loaded whole.
  expect(parts).toEqual([history.length]);
  const fromStart = emptyState();
  for (const e of history) applyEvent(fromStart, e);
  expect(states.get('kfn')).toEqual(fromStart);
});

test('a stream with a damaged line, set aside at open: its good records are handed over once, after the repair', async () => {
  const history = await recordHistory();
  const file = path.join(dir, 'streams', streamFileName('kfn'));
  const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  // The second line damaged: not JSON any more.
  lines[1] = lines[1]!.slice(0, 20);
  await writeFile(file, `${lines.join('\n')}\n`);
  const handed: StoredEvent[] = [];
  const calls: string[] = [];
  const store = await FileStore.open({
    dataDir: dir,
    setAsideDamaged: true,
    onRecordsLoaded: (stream, records) => {
      calls.push(stream);
      handed.push(...records);
    },
  });
  await store.close();
  expect(calls).toEqual(['kfn']);
  expect(handed).toEqual(history.filter((e) => e.seq !== 2));
  const states = new Map<string, CommitteeState>();
  foldInto(states, 'kfn', handed);
  expect(states.get('kfn')?.version).toBe(history.length);
});

test('a core started from the states folded at open reads only what came after at its first command, and answers from the history', async () => {
  const history = await recordHistory();
  const clock = new ManualClock(NOW);
  const states = new Map<string, CommitteeState>();
  const store = await FileStore.open({ dataDir: dir, clock, onRecordsLoaded: (stream, records) => foldInto(states, stream, records) });
  try {
    const reads: number[] = [];
    const readEvents = store.readEvents.bind(store);
    store.readEvents = (stream, after) => {
      reads.push(after);
      return readEvents(stream, after);
    };
    const core = new Core({ committees: [await loadCommitteeFile(EXAMPLE)], store, clock, states });
    // The standing declaration comes from the history: declaring again is refused, and nothing is recorded.
    expect(await say(core, 'amira.haddad', 'jäv 3 part', 'after-1')).toContain('redan');
    expect(await say(core, 'tomas.engstrom', 'övrig fråga En tredje fråga?', 'after-2')).toContain('F3 är anmäld');
    // Nothing is read back at all: the file store knows the folded state is current (isCurrent).
    expect(reads).toEqual([]);
    expect((await core.log.state('kfn')).version).toBe(history.length + 1);
  } finally {
    await store.close();
  }
});

test('the app is wired so: its core does not read the history back at the first command', async () => {
  const history = await recordHistory();
  const app = await openApp({ env: { NAMNDBOT_COMMITTEES: EXAMPLE, NAMNDBOT_DATA_DIR: dir }, now: NOW, logLevel: 'silent', processMetrics: false });
  try {
    const reads: number[] = [];
    const readEvents = app.store.readEvents.bind(app.store);
    app.store.readEvents = (stream, after) => {
      reads.push(after);
      return readEvents(stream, after);
    };
    expect(await say(app.core, 'amira.haddad', 'jäv 3 part', 'app-1')).toContain('redan');
    expect(reads).toEqual([]);
  } finally {
    await app.close();
  }
});
