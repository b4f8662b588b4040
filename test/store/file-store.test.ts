import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManualClock } from '../../src/domain/clock';
import { DataDirLockedError, FileStore, LOCK_FILE, streamFileName, streamIdOfFile } from '../../src/store/file-store';
import { CorruptRecordError, StoreUnavailableError } from '../../src/store/store';
import { newEvent, storeContract } from './contract';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'namndbot-file-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

storeContract('FileStore', async () => {
  const dataDir = await tempDir();
  const store = await FileStore.open({ dataDir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
});

const streamFile = (dir: string, stream: string) => path.join(dir, 'streams', streamFileName(stream));

/** Runs `fn` with a store that is closed afterwards whatever happens. */
async function withStore<T>(dataDir: string, fn: (s: FileStore) => Promise<T>, clock?: ManualClock): Promise<T> {
  const store = await FileStore.open({ dataDir, clock });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('FileStore on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });

  it('creates a missing data directory, with one file per stream under streams/', async () => {
    const dataDir = path.join(dir, 'a', 'b', 'data');
    await withStore(dataDir, async (s) => {
      await s.append('kfn', [newEvent()]);
      await s.append('bun', [newEvent()]);
    });
    expect((await fs.readdir(path.join(dataDir, 'streams'))).sort()).toEqual(['bun.jsonl', 'kfn.jsonl']);
  });

  it('sees everything after a reopen, and seqs go on', async () => {
    const k = [newEvent(), newEvent(), newEvent()];
    await withStore(dir, async (s) => {
      await s.append('kfn', k.slice(0, 1));
      await s.append('kfn', k.slice(1));
      await s.append('Bygg & Miljö', [newEvent()]);
      await s.setValue('teams:ref:anna', { conversation: { id: 'a:1' } });
      await s.setValue('teams:ref:anna', { conversation: { id: 'a:2' } });
      await s.setValue('other', [1, 2]);
      await s.markOnce('slack:Ev1', 60_000);
      await s.markOnce('slack:Ev2', 60_000);
      await s.unmark('slack:Ev2');
    });
    await withStore(dir, async (s) => {
      expect(await s.readEvents('kfn', 0)).toEqual(k.map((e, i) => ({ ...e, seq: i + 1 })));
      expect(await s.listStreams()).toEqual(['Bygg & Miljö', 'kfn']);
      expect(await s.getValue('teams:ref:anna')).toEqual({ conversation: { id: 'a:2' } });
      expect(await s.getValue('other')).toEqual([1, 2]);
      expect(await s.markOnce('slack:Ev1', 60_000)).toBe(false);
      // unmark was durable too.
      expect(await s.markOnce('slack:Ev2', 60_000)).toBe(true);
      expect((await s.append('kfn', [newEvent()], 3))[0]!.seq).toBe(4);
    });
    await withStore(dir, async (s) => {
      expect((await s.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    });
  });

  it('knows without a read whether a seq is a stream\'s last (isCurrent): exactly at its length, and never once closed', async () => {
    const store = await FileStore.open({ dataDir: dir });
    expect(store.isCurrent('kfn', 0)).toBe(true);
    expect(store.isCurrent('kfn', 1)).toBe(false);
    await store.append('kfn', [newEvent(), newEvent()]);
    expect(store.isCurrent('kfn', 2)).toBe(true);
    expect(store.isCurrent('kfn', 1)).toBe(false);
    expect(store.isCurrent('bun', 0)).toBe(true);
    await store.append('kfn', [newEvent()]);
    expect(store.isCurrent('kfn', 2)).toBe(false);
    expect(store.isCurrent('kfn', 3)).toBe(true);
    await store.close();
    // Closed: the caller reads and is told so.
    expect(store.isCurrent('kfn', 3)).toBe(false);
  });

  it('flushes appends still in flight when closed', async () => {
    const store = await FileStore.open({ dataDir: dir });
    const pending = Array.from({ length: 50 }, () => store.append('kfn', [newEvent()]));
    const value = store.setValue('v', 1);
    await store.close();
    await Promise.all([...pending, value]);
    await withStore(dir, async (s) => {
      expect(await s.readEvents('kfn', 0)).toHaveLength(50);
      expect(await s.getValue('v')).toBe(1);
    });
  });

  it('commits once-marks and values on the thread pool, and an append on its own on the event loop', async () => {
    await withStore(dir, async (s) => {
      const before = s.stats();
      for (let i = 0; i < 3; i++) expect(await s.markOnce(`delivery:${i}`, 60_000)).toBe(true);
      await s.unmark('delivery:0');
      await s.setValue('v', 1);
      await s.setValue('v', 2);
      const marked = s.stats();
      // Six writes, each synced on its own, none of them on the event loop's thread.
      expect(marked.syncs - before.syncs).toBe(6);
      expect(marked.inlineSyncs - before.inlineSyncs).toBe(0);
      // The first commit of a stream's line on its own is tried inline (INLINE_COMMIT_MAX_MS).
      await s.append('kfn', [newEvent()]);
      const appended = s.stats();
      expect(appended.syncs - marked.syncs).toBe(1);
      expect(appended.inlineSyncs - marked.inlineSyncs).toBe(1);
    });
  });

  it('commits concurrent appends in groups: far fewer fsyncs than appends', async () => {
    await withStore(dir, async (s) => {
      const before = s.stats().syncs;
      await Promise.all(Array.from({ length: 200 }, () => s.append('kfn', [newEvent()])));
      const syncs = s.stats().syncs - before;
      expect(syncs).toBeGreaterThanOrEqual(1);
      expect(syncs).toBeLessThan(20);
      expect((await s.readEvents('kfn', 0)).map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    });
    const lines = (await fs.readFile(streamFile(dir, 'kfn'), 'utf8')).split('\n');
    expect(lines).toHaveLength(201);
    expect(lines[200]).toBe('');
  });

  it('reads back exactly the events after any seq, also from the middle of a multi-event append, before and after a reopen', async () => {
    const sizes = [3, 1, 4, 1, 5];
    const all = sizes.map((n) => Array.from({ length: n }, () => newEvent()));
    const expected = all.flat().map((e, i) => ({ ...e, seq: i + 1 }));
    const check = async (s: FileStore) => {
      for (let after = 0; after <= expected.length + 1; after++) expect(await s.readEvents('kfn', after)).toEqual(expected.slice(after));
    };
    await withStore(dir, async (s) => {
      for (const batch of all) await s.append('kfn', batch);
      await check(s);
    });
    await withStore(dir, check);
  });

  it('keeps events on disk, not in memory: a record changed on disk while it runs is reported when read, never used', async () => {
    await withStore(dir, async (s) => {
      await s.append('kfn', [newEvent(), newEvent()]);
      await s.append('kfn', [newEvent()]);
      const file = streamFile(dir, 'kfn');
      const text = await fs.readFile(file, 'utf8');
      // Same length, so the offsets the store keeps still fit: only the content is wrong.
      await fs.writeFile(file, text.replace('"type":"fraga.announced"', '"type":"fraga.announcex"'));
      const err = await s.readEvents('kfn', 0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptRecordError);
      expect((err as CorruptRecordError).where).toBe('streams/kfn.jsonl:1');
      // The second line is still good and is read on its own.
      expect((await s.readEvents('kfn', 2)).map((e) => e.seq)).toEqual([3]);
    });
  });

  it('answers reads made while a redaction rewrites the file with the stream before or after it, never a mix', async () => {
    await withStore(dir, async (s) => {
      for (let i = 0; i < 30; i++) await s.append('kfn', [newEvent(), newEvent()]);
      const stored = await s.readEvents('kfn', 0);
      const blanked = stored.map((e) => ({ ...e, text: '(gallrad)' }) as typeof e);
      const redaction = s.redact('kfn', blanked.filter((e) => e.seq % 2 === 0));
      const reads = Array.from({ length: 10 }, (_, i) => s.readEvents('kfn', i * 5));
      const more = s.append('kfn', [newEvent()]);
      await redaction;
      await more;
      const after = await s.readEvents('kfn', 0);
      expect(after).toHaveLength(61);
      for (const [i, read] of (await Promise.all(reads)).entries()) {
        const from = i * 5;
        expect(read.map((e) => e.seq)).toEqual(after.slice(from, read.length + from).map((e) => e.seq));
        const before = stored.slice(from, from + read.length);
        const redacted = after.slice(from, from + read.length);
        expect([before, redacted]).toContainEqual(read);
      }
    });
  });

  it('keeps a bounded number of stream files open, however many streams are written', async () => {
    // Counted in /proc/self/fd, which CI's Linux has; elsewhere there is nothing to count with.
    const openStreamFiles = async () => {
      if (process.platform !== 'linux') return 0;
      const links = await Promise.all((await fs.readdir('/proc/self/fd')).map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return links.filter((l) => l.startsWith(path.join(dir, 'streams'))).length;
    };
    await withStore(dir, async (s) => {
      for (let round = 0; round < 2; round++) await Promise.all(Array.from({ length: 300 }, (_, i) => s.append(`n${i}`, [newEvent()])));
      expect(await openStreamFiles()).toBeLessThanOrEqual(64);
      // Every stream still takes writes and reads after its file was closed.
      await Promise.all(Array.from({ length: 300 }, (_, i) => s.append(`n${i}`, [newEvent()], 2)));
      for (let i = 0; i < 300; i += 37) expect((await s.readEvents(`n${i}`, 0)).map((e) => e.seq)).toEqual([1, 2, 3]);
    });
    await withStore(dir, async (s) => expect((await s.readEvents('n299', 0)).map((e) => e.seq)).toEqual([1, 2, 3]));
  });

  it('hands out events that cannot be changed behind its back', async () => {
    await withStore(dir, async (s) => {
      const [returned] = await s.append('kfn', [newEvent()]);
      expect(() => {
        (returned as { id: string }).id = 'changed';
      }).toThrow(TypeError);
      const [read] = await s.readEvents('kfn', 0);
      expect(() => {
        (read!.actor as { via: string }).via = 'cli';
      }).toThrow(TypeError);
      expect((await s.readEvents('kfn', 0))[0]!.actor.via).toBe('slack');
    });
  });

  it('drops fields that are not in the schema instead of storing them', async () => {
    await withStore(dir, async (s) => {
      const e = { ...newEvent(), seq: 77, secret: 'x' };
      const [stored] = await s.append('kfn', [e]);
      expect(stored!.seq).toBe(1);
      expect(stored).not.toHaveProperty('secret');
    });
    expect(await fs.readFile(streamFile(dir, 'kfn'), 'utf8')).not.toContain('secret');
  });

  it('rejects stream ids it cannot store, writing nothing', async () => {
    await withStore(dir, async (s) => {
      await expect(s.append('', [newEvent()])).rejects.toBeInstanceOf(RangeError);
      await expect(s.append('x'.repeat(300), [newEvent()])).rejects.toBeInstanceOf(RangeError);
      await expect(s.append('bad\ud800', [newEvent()])).rejects.toBeInstanceOf(RangeError);
      expect(await s.listStreams()).toEqual([]);
    });
    expect(await fs.readdir(path.join(dir, 'streams'))).toEqual([]);
  });

  it('rejects values that are not JSON, writing nothing', async () => {
    await withStore(dir, async (s) => {
      await expect(s.setValue('a', undefined)).rejects.toBeInstanceOf(TypeError);
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      await expect(s.setValue('a', cyclic)).rejects.toBeInstanceOf(TypeError);
      expect(await s.getValue('a')).toBeUndefined();
    });
  });

  it('maps stream ids to safe, distinct file names and back', () => {
    const ids = ['kfn', 'KFN', 'bygg/miljö', '..', '.', 'con', 'COM1', 'a%2Fb', 'x y', '\u00e5', 'a\u030a', 'kfn.jsonl'];
    const names = ids.map(streamFileName);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(ids.length);
    for (const [i, name] of names.entries()) {
      expect(name).toMatch(/^(?:[a-z0-9_-]|%[0-9A-F]{2})+\.jsonl$/);
      expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)\./i);
      expect(streamIdOfFile(name)).toBe(ids[i]);
    }
    expect(streamFileName('kfn')).toBe('kfn.jsonl');
    expect(streamIdOfFile('KFN.jsonl')).toBeUndefined();
    expect(streamIdOfFile('%6b.jsonl')).toBeUndefined();
  });

  describe('after a crash', () => {
    it('cuts a torn last line (never acknowledged) and carries on', async () => {
      const good = [newEvent(), newEvent()];
      await withStore(dir, async (s) => {
        await s.append('kfn', [good[0]!]);
        await s.append('kfn', [good[1]!]);
      });
      const file = streamFile(dir, 'kfn');
      const size = (await fs.stat(file)).size;
      const torn = JSON.stringify([{ ...newEvent(), seq: 3 }]);
      await fs.appendFile(file, torn.slice(0, torn.length - 7));
      await withStore(dir, async (s) => {
        expect(await s.readEvents('kfn', 0)).toEqual(good.map((e, i) => ({ ...e, seq: i + 1 })));
        expect((await fs.stat(file)).size).toBe(size);
        expect((await s.append('kfn', [newEvent()], 2))[0]!.seq).toBe(3);
      });
      await withStore(dir, async (s) => {
        expect((await s.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 2, 3]);
      });
    });

    it('drops a whole multi-event append whose line was cut, keeping appends atomic', async () => {
      await withStore(dir, async (s) => {
        await s.append('kfn', [newEvent()]);
      });
      const file = streamFile(dir, 'kfn');
      // The cut falls after the first two events of a three-event append.
      const line = JSON.stringify([2, 3, 4].map((seq) => ({ ...newEvent(), seq })));
      await fs.appendFile(file, line.slice(0, line.lastIndexOf('{')));
      await withStore(dir, async (s) => {
        expect((await s.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1]);
      });
    });

    it('cuts a stream file that holds only a torn line down to an empty stream', async () => {
      await fs.mkdir(path.join(dir, 'streams'), { recursive: true });
      await fs.writeFile(streamFile(dir, 'kfn'), '[{"id":"x","at":"20');
      await withStore(dir, async (s) => {
        expect(await s.readEvents('kfn', 0)).toEqual([]);
        expect(await s.listStreams()).toEqual([]);
        expect((await s.append('kfn', [newEvent()], 0))[0]!.seq).toBe(1);
      });
    });

    it('repairs torn tails of the marks and values logs', async () => {
      await withStore(dir, async (s) => {
        await s.markOnce('m1', 60_000);
        await s.setValue('v1', { a: 1 });
      });
      await fs.appendFile(path.join(dir, 'marks.jsonl'), '{"k":"m2","x":1');
      await fs.appendFile(path.join(dir, 'values.jsonl'), '{"k":"v1","v":{"a":');
      await withStore(dir, async (s) => {
        expect(await s.markOnce('m1', 60_000)).toBe(false);
        expect(await s.markOnce('m2', 60_000)).toBe(true);
        expect(await s.getValue('v1')).toEqual({ a: 1 });
      });
      expect(await fs.readFile(path.join(dir, 'values.jsonl'), 'utf8')).toBe('{"k":"v1","v":{"a":1}}\n');
    });

    it('ignores a compaction temp file left by a crash', async () => {
      await withStore(dir, async (s) => {
        await s.setValue('v1', 'old');
      });
      await fs.writeFile(path.join(dir, 'values.jsonl.tmp'), '{"k":"v1","v":"half');
      await withStore(dir, async (s) => {
        expect(await s.getValue('v1')).toBe('old');
      });
      await expect(fs.access(path.join(dir, 'values.jsonl.tmp'))).rejects.toThrow();
    });
  });

  describe('corrupt records', () => {
    async function writeThree(): Promise<string> {
      await withStore(dir, async (s) => {
        for (let i = 0; i < 3; i++) await s.append('kfn', [newEvent()]);
      });
      return streamFile(dir, 'kfn');
    }

    async function replaceLine(file: string, index: number, text: string): Promise<void> {
      const lines = (await fs.readFile(file, 'utf8')).split('\n');
      lines[index] = text;
      await fs.writeFile(file, lines.join('\n'));
    }

    async function openError(): Promise<unknown> {
      return FileStore.open({ dataDir: dir }).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: unknown) => e,
      );
    }

    it.each([
      ['not JSON', '{"id": oops'],
      ['an event that fails the schema', JSON.stringify([{ ...newEvent(), seq: 2, type: 'fraga.invented' }])],
      ['a seq out of order', JSON.stringify([{ ...newEvent(), seq: 5 }])],
      ['an empty line', ''],
      ['an object instead of an array', JSON.stringify({ ...newEvent(), seq: 2 })],
    ])('reports a middle line with %s as CorruptRecordError naming file and line', async (_label, text) => {
      const file = await writeThree();
      await replaceLine(file, 1, text);
      const err = await openError();
      expect(err).toBeInstanceOf(CorruptRecordError);
      expect((err as CorruptRecordError).where).toBe('streams/kfn.jsonl:2');
      // The failed open let go of the lock.
      await expect(fs.access(path.join(dir, LOCK_FILE))).rejects.toThrow();
    });

    it('reports a complete but corrupt last line rather than dropping it', async () => {
      const file = await writeThree();
      await replaceLine(file, 2, '{"garbage":true}');
      expect(await openError()).toBeInstanceOf(CorruptRecordError);
    });

    it('reports invalid UTF-8', async () => {
      const file = await writeThree();
      const buf = await fs.readFile(file);
      buf[buf.indexOf('Fr')] = 0xff;
      await fs.writeFile(file, buf);
      const err = await openError();
      expect(err).toBeInstanceOf(CorruptRecordError);
      expect((err as CorruptRecordError).where).toBe('streams/kfn.jsonl:1');
    });

    it('reports corrupt marks and values lines and stream files it did not name', async () => {
      await writeThree();
      await fs.writeFile(path.join(dir, 'marks.jsonl'), '{"k":"a","x":"soon"}\n{"k":"b","x":1}\n');
      expect(await openError()).toMatchObject({ name: 'CorruptRecordError', where: 'marks.jsonl:1' });
      await fs.rm(path.join(dir, 'marks.jsonl'));
      await fs.writeFile(path.join(dir, 'values.jsonl'), '{"k":"a"}\n');
      expect(await openError()).toMatchObject({ name: 'CorruptRecordError', where: 'values.jsonl:1' });
      await fs.rm(path.join(dir, 'values.jsonl'));
      await fs.writeFile(path.join(dir, 'streams', 'KFN.jsonl'), '');
      expect(await openError()).toMatchObject({ name: 'CorruptRecordError', where: 'streams/KFN.jsonl' });
    });
  });

  describe('repairs at open are logged, and a whole record is kept', () => {
    function recordingLogger() {
      const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
      const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
      return { lines, info: at('info'), warn: at('warn'), error: at('error') };
    }

    it('keeps a complete last record that lost only its newline, and says so', async () => {
      await withStore(dir, async (s) => {
        await s.append('kfn', [newEvent()]);
      });
      const file = streamFile(dir, 'kfn');
      const last = { ...newEvent(), seq: 2 };
      await fs.appendFile(file, JSON.stringify([last]));
      const logger = recordingLogger();
      const s = await FileStore.open({ dataDir: dir, logger });
      try {
        expect((await s.readEvents('kfn', 0)).map((e) => e.id)).toEqual([expect.any(String), last.id]);
        expect((await s.append('kfn', [newEvent()], 2))[0]!.seq).toBe(3);
      } finally {
        await s.close();
      }
      expect(logger.lines).toEqual([{ level: 'warn', obj: { file: 'streams/kfn.jsonl', line: 2 }, msg: expect.stringContaining('kept a whole last record') }]);
      expect((await fs.readFile(file, 'utf8')).endsWith('\n')).toBe(true);
      await withStore(dir, async (again) => {
        expect((await again.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 2, 3]);
      });
    });

    it('keeps a complete last marks and values line without its newline', async () => {
      await fs.writeFile(path.join(dir, 'marks.jsonl'), `{"k":"m1","x":${Date.now() + 60_000}}`);
      await fs.writeFile(path.join(dir, 'values.jsonl'), '{"k":"v1","v":{"a":1}}');
      await withStore(dir, async (s) => {
        expect(await s.markOnce('m1', 60_000)).toBe(false);
        expect(await s.getValue('v1')).toEqual({ a: 1 });
      });
    });

    it('logs every torn tail it cuts, with file, line and size', async () => {
      await withStore(dir, async (s) => {
        await s.append('kfn', [newEvent()]);
        await s.markOnce('m1', 60_000);
      });
      await fs.appendFile(streamFile(dir, 'kfn'), '[{"id":"x","at":"20');
      await fs.appendFile(path.join(dir, 'marks.jsonl'), '{"k":"m2"');
      const logger = recordingLogger();
      await (await FileStore.open({ dataDir: dir, logger })).close();
      expect(logger.lines).toEqual([
        { level: 'warn', obj: { file: 'streams/kfn.jsonl', line: 2, bytes: 19 }, msg: expect.stringContaining('cut off a torn last line') },
        { level: 'warn', obj: { file: 'marks.jsonl', line: 2, bytes: 9 }, msg: expect.stringContaining('cut off a torn last line') },
      ]);
    });
  });

  describe('damaged lines set aside (setAsideDamaged)', () => {
    async function writeFive(): Promise<string> {
      await withStore(dir, async (s) => {
        for (let i = 0; i < 5; i++) await s.append('kfn', i === 2 ? [newEvent(), newEvent()] : [newEvent()]);
      });
      return streamFile(dir, 'kfn');
    }

    it('moves a damaged stream line into a file of its own and keeps every good record with its seq', async () => {
      const file = await writeFive();
      const lines = (await fs.readFile(file, 'utf8')).split('\n');
      const good = [lines[0], lines[1], lines[3], lines[4]].map((l) => JSON.parse(l!) as { seq: number; id: string }[]).flat();
      lines[2] = '[{"id": oops, half a line';
      await fs.writeFile(file, lines.join('\n'));
      const err = await FileStore.open({ dataDir: dir }).then(async (s) => s.close(), (e: unknown) => e);
      expect(err).toMatchObject({ name: 'CorruptRecordError', file: 'streams/kfn.jsonl', line: 3 });
      // Refused without the option: nothing was changed.
      expect(await fs.readFile(file, 'utf8')).toBe(lines.join('\n'));

      const logged: unknown[] = [];
      const logger = { info: () => undefined, error: () => undefined, warn: (obj: object) => void logged.push(obj) };
      const s = await FileStore.open({ dataDir: dir, setAsideDamaged: true, logger });
      try {
        const events = await s.readEvents('kfn', 0);
        expect(events.map((e) => [e.seq, e.id])).toEqual(good.map((e) => [e.seq, e.id]));
        expect(events.map((e) => e.seq)).toEqual([1, 2, 5, 6]);
        expect((await s.readEvents('kfn', 2)).map((e) => e.seq)).toEqual([5, 6]);
        expect((await s.append('kfn', [newEvent()], 6))[0]!.seq).toBe(7);
      } finally {
        await s.close();
      }
      const aside = await fs.readdir(path.join(dir, 'damaged'));
      expect(aside).toEqual([expect.stringMatching(/^streams_kfn\.jsonl\.line-3\./)]);
      expect(await fs.readFile(path.join(dir, 'damaged', aside[0]!), 'utf8')).toBe('[{"id": oops, half a line\n');
      expect(logged).toEqual([{ file: 'streams/kfn.jsonl', line: 3, setAside: `damaged/${aside[0]}`, detail: expect.stringContaining('not JSON') }]);
      // The repaired file opens without the option, and the seqs hold.
      await withStore(dir, async (again) => {
        expect((await again.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 2, 5, 6, 7]);
      });
    });

    it('keeps the gap through a retention rewrite (redact)', async () => {
      const file = await writeFive();
      const lines = (await fs.readFile(file, 'utf8')).split('\n');
      lines[1] = '';
      await fs.writeFile(file, lines.join('\n'));
      await (await FileStore.open({ dataDir: dir, setAsideDamaged: true })).close();
      await withStore(dir, async (s) => {
        const [first] = await s.readEvents('kfn', 4);
        await s.redact('kfn', [{ ...first!, text: '(gallrad)' } as never]);
        expect((await s.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 3, 4, 5, 6]);
      });
      await withStore(dir, async (s) => {
        expect((await s.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 3, 4, 5, 6]);
        expect((await s.append('kfn', [newEvent()], 6))[0]!.seq).toBe(7);
      });
    });

    it('sets aside invalid UTF-8 byte for byte, and a damaged last line', async () => {
      const file = await writeFive();
      const buf = await fs.readFile(file);
      const lines = buf.toString('utf8').split('\n');
      const secondStart = Buffer.byteLength(`${lines[0]}\n`);
      buf[buf.indexOf('Fr', secondStart)] = 0xff;
      await fs.writeFile(file, Buffer.concat([buf, Buffer.from('{"garbage":true}\n')]));
      const s = await FileStore.open({ dataDir: dir, setAsideDamaged: true });
      try {
        expect((await s.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 3, 4, 5, 6]);
        expect((await s.append('kfn', [newEvent()], 6))[0]!.seq).toBe(7);
      } finally {
        await s.close();
      }
      const aside = (await fs.readdir(path.join(dir, 'damaged'))).sort();
      expect(aside).toEqual([expect.stringMatching(/^streams_kfn\.jsonl\.line-2\./), expect.stringMatching(/^streams_kfn\.jsonl\.line-6\./)]);
      const kept = await fs.readFile(path.join(dir, 'damaged', aside[0]!));
      expect(kept.subarray(0, -1)).toEqual(buf.subarray(secondStart, buf.indexOf(0x0a, secondStart)));
    });

    it('sets aside a damaged marks or values line and keeps the others', async () => {
      const later = Date.now() + 600_000;
      await fs.writeFile(path.join(dir, 'marks.jsonl'), `{"k":"a","x":${later}}\n{"k":"b","x":"soon"}\n{"k":"c","x":${later}}\n`);
      await fs.writeFile(path.join(dir, 'values.jsonl'), '{"k":"v1","v":1}\nnot json\n{"k":"v2","v":2}\n');
      const s = await FileStore.open({ dataDir: dir, setAsideDamaged: true });
      try {
        expect(await s.markOnce('a', 60_000)).toBe(false);
        expect(await s.markOnce('c', 60_000)).toBe(false);
        expect(await s.markOnce('b', 60_000)).toBe(true);
        expect([await s.getValue('v1'), await s.getValue('v2')]).toEqual([1, 2]);
      } finally {
        await s.close();
      }
      expect((await fs.readdir(path.join(dir, 'damaged'))).sort()).toEqual([expect.stringMatching(/^marks\.jsonl\.line-2\./), expect.stringMatching(/^values\.jsonl\.line-2\./)]);
    });

    it('moves a stream file with a name it does not make aside whole', async () => {
      await writeFive();
      await fs.writeFile(path.join(dir, 'streams', 'KFN.jsonl'), '[]\n');
      await (await FileStore.open({ dataDir: dir, setAsideDamaged: true })).close();
      expect(await fs.readdir(path.join(dir, 'streams'))).toEqual(['kfn.jsonl']);
      expect(await fs.readdir(path.join(dir, 'damaged'))).toEqual([expect.stringMatching(/^streams_KFN\.jsonl\./)]);
    });
  });

  describe('lock', () => {
    it('refuses a second open of the same directory, with a Swedish message, until closed', async () => {
      const first = await FileStore.open({ dataDir: dir });
      const err = await FileStore.open({ dataDir: dir }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DataDirLockedError);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as DataDirLockedError).pid).toBe(process.pid);
      expect((err as DataDirLockedError).userMessage).toBe(
        `Datakatalogen ${dir} används redan av en annan Nämndbot-process (pid ${process.pid}). ` +
          'Stoppa den eller välj en annan katalog med NAMNDBOT_DATA_DIR.',
      );
      expect(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
      await first.close();
      await expect(fs.access(path.join(dir, LOCK_FILE))).rejects.toThrow();
      await (await FileStore.open({ dataDir: dir })).close();
    });

    it('refuses a directory locked by another live process, naming it as the user wrote it', async () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
      try {
        await fs.writeFile(path.join(dir, LOCK_FILE), `${child.pid}\n`);
        const rel = path.relative(process.cwd(), dir);
        const err = await FileStore.open({ dataDir: rel }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(DataDirLockedError);
        expect((err as DataDirLockedError).pid).toBe(child.pid);
        expect((err as DataDirLockedError).userMessage).toContain(`Datakatalogen ${rel} används redan`);
        expect((err as DataDirLockedError).message).toContain(`pid ${child.pid}`);
        // The lock was left alone.
        expect(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe(`${child.pid}\n`);
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('takes over a stale lock of a dead process, and one left by an earlier process with our pid', async () => {
      const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      await new Promise((resolve) => child.on('exit', resolve));
      await fs.writeFile(path.join(dir, LOCK_FILE), `${child.pid}\n`);
      await withStore(dir, async () => {
        expect(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
      });
      // As after a container restart: the dead process had the pid we have now.
      await fs.writeFile(path.join(dir, LOCK_FILE), `${process.pid}\n`);
      await withStore(dir, async (s) => {
        await s.append('kfn', [newEvent()]);
      });
      await expect(fs.access(path.join(dir, LOCK_FILE))).rejects.toThrow();
    });
  });

  describe('once-marks and time', () => {
    it('survive a reopen within their ttl and are gone after it, by the injected clock', async () => {
      const clock = new ManualClock('2025-03-04T09:00:00Z');
      await withStore(
        dir,
        async (s) => {
          expect(await s.markOnce('short', 60_000)).toBe(true);
          expect(await s.markOnce('long', 3_600_000)).toBe(true);
        },
        clock,
      );
      clock.advance(30_000);
      await withStore(
        dir,
        async (s) => {
          expect(await s.markOnce('short', 60_000)).toBe(false);
          expect(await s.markOnce('long', 3_600_000)).toBe(false);
        },
        clock,
      );
      clock.advance(60_000);
      await withStore(
        dir,
        async (s) => {
          expect(await s.markOnce('long', 3_600_000)).toBe(false);
          // Expired on open, and dropped from the file then.
          expect(await fs.readFile(path.join(dir, 'marks.jsonl'), 'utf8')).not.toContain('short');
          expect(await s.markOnce('short', 60_000)).toBe(true);
        },
        clock,
      );
    });

    it('expires claims by the injected clock', async () => {
      const clock = new ManualClock('2025-03-04T09:00:00Z');
      await withStore(
        dir,
        async (s) => {
          expect(await s.claim('r', 'a', 1000)).toBe(true);
          clock.advance(999);
          expect(await s.claim('r', 'b', 1000)).toBe(false);
          clock.advance(1);
          expect(await s.claim('r', 'b', 1000)).toBe(true);
        },
        clock,
      );
    });

    it('compacts the marks log while running, keeping live marks', async () => {
      const clock = new ManualClock('2025-03-04T09:00:00Z');
      await withStore(
        dir,
        async (s) => {
          await s.markOnce('keep', 3_600_000);
          for (let i = 0; i < 1500; i++) {
            await s.markOnce(`m${i}`, 1000);
            clock.advance(10);
          }
          expect(await s.markOnce('keep', 3_600_000)).toBe(false);
          expect(await s.markOnce('m1499', 1000)).toBe(false);
        },
        clock,
      );
      const lines = (await fs.readFile(path.join(dir, 'marks.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.length).toBeLessThan(1000);
      await withStore(
        dir,
        async (s) => {
          expect(await s.markOnce('keep', 3_600_000)).toBe(false);
          expect(await s.markOnce('m1499', 1000)).toBe(false);
          expect(await s.markOnce('m0', 1000)).toBe(true);
        },
        clock,
      );
    });

    it('compacts the values log while running, keeping the last value of each key', async () => {
      await withStore(dir, async (s) => {
        await Promise.all(Array.from({ length: 2500 }, (_, i) => s.setValue(`k${i % 5}`, { i })));
        for (let i = 0; i < 1500; i++) await s.setValue(`k${i % 5}`, { i: 10_000 + i });
      });
      const lines = (await fs.readFile(path.join(dir, 'values.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.length).toBeLessThan(1200);
      await withStore(dir, async (s) => {
        for (let k = 0; k < 5; k++) expect(await s.getValue(`k${k}`)).toEqual({ i: 10_000 + 1495 + k });
      });
    });
  });

  it('stops after a failed write, refuses while the cause lasts, and goes on by itself with what is on disk once it is gone', async () => {
    const store = await FileStore.open({ dataDir: dir });
    try {
      await store.append('bun', [newEvent()]);
      await store.setValue('v', 1);
      // A directory where the new stream's file must go makes its first write fail, and a reload too.
      await fs.mkdir(streamFile(dir, 'kfn'));
      const err = await store.append('kfn', [newEvent()]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(err).toMatchObject({ written: 'no', diskFull: false });
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readEvents('kfn', 0)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.append('bun', [newEvent()])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.setValue('v', 2)).rejects.toBeInstanceOf(StoreUnavailableError);
      await fs.rmdir(streamFile(dir, 'kfn'));
      // The next reload (at most one a second) finds the disk as it is, and the store goes on.
      let streams: string[] | undefined;
      for (let i = 0; i < 30 && !streams; i++) streams = await store.listStreams().catch(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 100)));
      expect(streams).toEqual(['bun']);
      expect(await store.getValue('v')).toBe(1);
      expect((await store.append('kfn', [newEvent()], 0))[0]!.seq).toBe(1);
    } finally {
      await store.close();
    }
    await withStore(dir, async (s) => {
      expect(await s.listStreams()).toEqual(['bun', 'kfn']);
      expect(await s.getValue('v')).toBe(1);
    });
  });

  it('reports file system trouble on open as StoreUnavailableError', async () => {
    const file = path.join(dir, 'not-a-dir');
    await fs.writeFile(file, 'x');
    await expect(FileStore.open({ dataDir: file })).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('pings while usable, and close is safe to call twice', async () => {
    const store = await FileStore.open({ dataDir: dir });
    await expect(store.ping()).resolves.toBeUndefined();
    await Promise.all([store.close(), store.close()]);
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.markOnce('a', 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
