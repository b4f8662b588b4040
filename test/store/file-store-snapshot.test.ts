/**
 * The file store's snapshots (issue 18): open folds a stream from its snapshot and the lines after
 * it; a snapshot that is missing, damaged, of another format, ahead of its stream or not of this
 * stream file is ignored with a log line and the stream folded whole; the stream stays the truth.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ManualClock } from '../../src/domain/clock';
import type { StoredEvent } from '../../src/domain/records';
import { FileStore, type FileStoreOptions, streamFileName } from '../../src/store/file-store';
import { CorruptRecordError, type StreamProjection } from '../../src/store/store';
import { newEvent } from './contract';

/** The state of these tests: the seqs and ids folded, in order. */
interface Seen {
  seqs: number[];
  ids: string[];
}
const seenFold = (format = 'seen/1'): StreamProjection<Seen> => ({
  format,
  empty: () => ({ seqs: [], ids: [] }),
  apply: (s, e) => {
    s.seqs.push(e.seq);
    s.ids.push(e.id);
  },
  encode: (s) => Buffer.from(JSON.stringify(s)),
  decode: (b) => JSON.parse(Buffer.from(b).toString('utf8')) as Seen,
});

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'namndbot-snapshot-'));
});
afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

const snapshotFile = () => path.join(dir, 'snapshots', 'kfn.json');
const streamFile = () => path.join(dir, 'streams', streamFileName('kfn'));

interface Opened {
  store: FileStore;
  state: Seen;
  fromSnapshot: number;
  logged: { obj: Record<string, unknown>; msg: string }[];
}

async function open(options: Partial<FileStoreOptions<Seen>> & { fold?: StreamProjection<Seen>; snapshotAfter?: number } = {}): Promise<Opened> {
  const logged: Opened['logged'] = [];
  let state: Seen | undefined;
  let fromSnapshot = -1;
  const { fold, snapshotAfter, ...rest } = options;
  const store = await FileStore.open<Seen>({
    dataDir: dir,
    logger: { info: () => undefined, error: () => undefined, warn: (obj, msg) => void logged.push({ obj: obj as Record<string, unknown>, msg }) },
    projection: {
      fold: fold ?? seenFold(),
      snapshotAfter: snapshotAfter ?? 10,
      onLoaded: (stream, s, loaded) => {
        expect(stream).toBe('kfn');
        state = s;
        fromSnapshot = loaded.fromSnapshot;
      },
    },
    ...rest,
  });
  return { store, state: state ?? { seqs: [], ids: [] }, fromSnapshot, logged };
}

/** `n` appends of one event each, and one of three; closed. Returns every event. */
async function record(n: number): Promise<StoredEvent[]> {
  const { store } = await open({ snapshotAfter: 1e9 });
  try {
    for (let i = 0; i < n; i++) await store.append('kfn', [newEvent()]);
    await store.append('kfn', [newEvent(), newEvent(), newEvent()]);
    return await store.readEvents('kfn', 0);
  } finally {
    await store.close();
  }
}

const seqsOf = (events: StoredEvent[]) => events.map((e) => e.seq);

test('open writes a snapshot once enough records were folded; the next open folds only the lines after it', async () => {
  const all = await record(20);
  const first = await open();
  expect(first.fromSnapshot).toBe(0);
  expect(first.state.seqs).toEqual(seqsOf(all));
  const more = [await first.store.append('kfn', [newEvent()]), await first.store.append('kfn', [newEvent()])].flat();
  await first.store.close();
  expect((await fs.readdir(path.join(dir, 'snapshots'))).sort()).toEqual(['kfn.json']);

  const second = await open();
  try {
    expect(second.fromSnapshot).toBe(all.length);
    expect(second.state.seqs).toEqual([...seqsOf(all), ...seqsOf(more)]);
    expect(second.state.ids).toEqual([...all, ...more].map((e) => e.id));
    expect(second.logged).toEqual([]);
    // Reads before, across and after what the snapshot covered, all read back from the file.
    expect(await second.store.readEvents('kfn', 0)).toEqual([...all, ...more]);
    expect(seqsOf(await second.store.readEvents('kfn', 5))).toEqual(seqsOf([...all, ...more]).slice(5));
    expect(seqsOf(await second.store.readEvents('kfn', all.length))).toEqual(seqsOf(more));
    // Appends go on after it, with the next seq.
    expect((await second.store.append('kfn', [newEvent()], all.length + more.length))[0]!.seq).toBe(all.length + more.length + 1);
  } finally {
    await second.store.close();
  }
});

test('without a snapshot, or with too few records after it, nothing is written', async () => {
  await record(3);
  const { store, fromSnapshot } = await open();
  await store.close();
  expect(fromSnapshot).toBe(0);
  await expect(fs.access(path.join(dir, 'snapshots'))).rejects.toThrow();
});

describe('a snapshot that cannot be used is ignored, said in the log, and the stream folded whole', () => {
  let all: StoredEvent[];
  beforeEach(async () => {
    all = await record(20);
    await (await open()).store.close();
  });

  async function expectIgnored(reason: RegExp, options: Parameters<typeof open>[0] = {}): Promise<void> {
    const { store, state, fromSnapshot, logged } = await open(options);
    await store.close();
    expect(fromSnapshot).toBe(0);
    expect(state.seqs).toEqual(seqsOf(all));
    expect(logged).toEqual([{ obj: { file: 'snapshots/kfn.json', reason: expect.stringMatching(reason) }, msg: expect.stringContaining('ignored a snapshot') }]);
    // And a good one is written in its place.
    const again = await open(options);
    await again.store.close();
    expect([again.fromSnapshot, again.logged]).toEqual([all.length, []]);
  }

  test('damaged: a byte of its state changed', async () => {
    const bytes = await fs.readFile(snapshotFile());
    bytes[bytes.length - 3] ^= 0x01;
    await fs.writeFile(snapshotFile(), bytes);
    await expectIgnored(/checksum/);
  });

  test('cut short', async () => {
    const bytes = await fs.readFile(snapshotFile());
    await fs.writeFile(snapshotFile(), bytes.subarray(0, 30));
    await expectIgnored(/cut short/);
  });

  test('of another format (written by another version)', async () => {
    await expectIgnored(/another format/, { fold: seenFold('seen/2') });
  });

  test('ahead of its stream: the stream file is shorter than what the snapshot covered', async () => {
    const text = await fs.readFile(streamFile(), 'utf8');
    const lines = text.split('\n').filter(Boolean);
    await fs.writeFile(streamFile(), `${lines.slice(0, -1).join('\n')}\n`);
    all = all.slice(0, -3);
    await expectIgnored(/ahead of the stream/);
  });

  test('not of this stream file: its last line is not there', async () => {
    const text = await fs.readFile(streamFile(), 'utf8');
    const lines = text.split('\n').filter(Boolean);
    // Same length, other content: the last line's seqs are the same, an id differs.
    const last = lines[lines.length - 1]!;
    const other = last.replace(/"id":"ev-([^"]*)"/, (_, rest: string) => `"id":"ev-${rest.slice(0, -1)}${rest.endsWith('0') ? '1' : '0'}"`);
    expect(other).not.toBe(last);
    await fs.writeFile(streamFile(), `${[...lines.slice(0, -1), other].join('\n')}\n`);
    all = [...all.slice(0, -1), { ...all[all.length - 1]!, id: JSON.parse(other)[2].id as string }];
    await expectIgnored(/does not match the stream file/);
  });
});

test('a damaged line after the snapshot is reported by file and line, as without one', async () => {
  await record(20);
  await (await open()).store.close();
  await fs.appendFile(streamFile(), '[{"not":"an event"}]\n');
  const lines = (await fs.readFile(streamFile(), 'utf8')).split('\n').filter(Boolean).length;
  const err = await open().then(
    async (o) => {
      await o.store.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CorruptRecordError);
  expect(err).toMatchObject({ file: 'streams/kfn.jsonl', line: lines });
});

test('a once-mark set with an append that the snapshot covers still stands after a restart', async () => {
  const clock = new ManualClock('2027-01-10T10:00:00+01:00');
  const first = await open({ clock, snapshotAfter: 1e9 });
  await first.store.append('kfn', [newEvent()], undefined, [{ key: 'delivery-1', ttlMs: 3_600_000 }]);
  for (let i = 0; i < 20; i++) await first.store.append('kfn', [newEvent()]);
  await first.store.close();
  await (await open({ clock })).store.close();
  // Opened from the snapshot: the mark's line is not read again.
  const second = await open({ clock });
  try {
    expect(second.fromSnapshot).toBe(21);
    expect(await second.store.markOnce('delivery-1', 60_000)).toBe(false);
    expect(await second.store.markOnce('delivery-2', 60_000)).toBe(true);
  } finally {
    await second.store.close();
  }
});

test('a redact removes the snapshot before it rewrites the stream; the next open folds the new file', async () => {
  const all = await record(20);
  const first = await open();
  await first.store.close();
  const second = await open();
  try {
    expect(second.fromSnapshot).toBe(all.length);
    const target = all[4]!;
    await second.store.redact('kfn', [{ ...target, text: '(gallrad)' } as StoredEvent]);
    await expect(fs.access(snapshotFile())).rejects.toThrow();
    expect(((await second.store.readEvents('kfn', 4))[0] as { text?: string }).text).toBe('(gallrad)');
  } finally {
    await second.store.close();
  }
  const third = await open();
  await third.store.close();
  expect([third.fromSnapshot, third.state.seqs, third.logged]).toEqual([0, seqsOf(all), []]);
});

test('read-only never reads or writes a snapshot; set-aside-damaged reads every line and removes the old snapshot', async () => {
  const all = await record(20);
  const reader = await open({ readOnly: true });
  await reader.store.close();
  expect([reader.fromSnapshot, reader.state.seqs]).toEqual([0, seqsOf(all)]);
  await expect(fs.access(path.join(dir, 'snapshots'))).rejects.toThrow();

  await (await open()).store.close();
  const before = await fs.readFile(snapshotFile());
  const readerAgain = await open({ readOnly: true });
  await readerAgain.store.close();
  expect([readerAgain.fromSnapshot, (await fs.readFile(snapshotFile())).equals(before)]).toEqual([0, true]);

  // A damaged line inside what the snapshot covers: only a full read finds it.
  const lines = (await fs.readFile(streamFile(), 'utf8')).split('\n').filter(Boolean);
  lines[2] = lines[2]!.slice(0, 10);
  await fs.writeFile(streamFile(), `${lines.join('\n')}\n`);
  const repaired = await open({ setAsideDamaged: true });
  await repaired.store.close();
  expect(repaired.fromSnapshot).toBe(0);
  expect(repaired.state.seqs).toEqual(seqsOf(all).filter((s) => s !== 3));
  expect(await fs.readdir(path.join(dir, 'damaged'))).toHaveLength(1);
});
