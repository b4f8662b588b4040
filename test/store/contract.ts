/**
 * The Store contract: every Store implementation runs this suite (see src/store/store.ts).
 *
 * `make` must return a fresh, empty store (its own temp directory, or its own Redis key
 * prefix) and a `cleanup` that closes it and removes its data; cleanup must tolerate a store
 * that a test already closed. Expiry is tested with short real ttls and real waits, because the
 * Redis store's ttls run on the server's clock.
 */
import { randomUUID } from 'node:crypto';
import { type NewEvent, type StoredEvent, storedEventSchema } from '../../src/domain/records';
import { AlreadyMarkedError, type Store, StoreUnavailableError, VersionConflictError } from '../../src/store/store';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let counter = 0;

/** A valid event; `n` goes into its text so that events can be told apart. */
export function newEvent(n: number | string = ++counter): NewEvent {
  return {
    id: `ev-${n}-${randomUUID()}`,
    at: '2025-03-04T09:15:00.000+01:00',
    actor: { memberId: 'anna', via: 'slack' },
    type: 'fraga.announced',
    questionId: `q-${n}`,
    meetingId: 'kfn-2025-03-13',
    memberId: 'anna',
    text: `Fråga nummer ${n}: hur går det med förskolan i Åby?`,
    late: false,
  };
}

/** Other event types, to check that the whole payload round-trips. */
function variedEvents(): NewEvent[] {
  return [
    {
      id: `jav-${randomUUID()}`,
      at: '2025-03-04T08:00:00Z',
      actor: { memberId: 'bertil', via: 'teams' },
      type: 'jav.declared',
      declarationId: 'd1',
      meetingId: 'm1',
      lopnummer: '§ 12',
      memberId: 'bertil',
      ground: 'partsjav',
      motivation: 'Min bror äger fastigheten "Åby 1:2".\nRad två.',
    },
    {
      id: `just-${randomUUID()}`,
      at: '2025-03-05T10:00:00+01:00',
      actor: { via: 'system' },
      type: 'justering.recorded',
      meetingId: 'm1',
      justerare: ['cecilia', 'david'],
      dueDate: '2025-03-20',
    },
    { id: `w-${randomUUID()}`, at: '2025-03-06T10:00:00Z', actor: { via: 'cli' }, type: 'jav.withdrawn', declarationId: 'd1' },
  ];
}

const withSeq = (events: NewEvent[], first: number): StoredEvent[] =>
  events.map((e, i) => ({ ...e, seq: first + i }) as StoredEvent);

async function settle<T>(promises: Promise<T>[]): Promise<{ ok: T[]; errors: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    ok: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])),
  };
}

export function storeContract(name: string, make: () => Promise<{ store: Store; cleanup: () => Promise<void> }>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('says what kind it is and answers ping', async () => {
      expect(['file', 'redis']).toContain(store.kind);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('streams', () => {
      it('has no events and no streams when empty', async () => {
        expect(await store.readEvents('kfn', 0)).toEqual([]);
        expect(await store.listStreams()).toEqual([]);
      });

      it('numbers appended events 1, 2, 3 … and returns them with their seq', async () => {
        const a = newEvent();
        const b = newEvent();
        expect(await store.append('kfn', [a])).toEqual(withSeq([a], 1));
        expect(await store.append('kfn', [b])).toEqual(withSeq([b], 2));
        const c = newEvent();
        expect(await store.append('kfn', [c])).toEqual(withSeq([c], 3));
        expect(await store.readEvents('kfn', 0)).toEqual(withSeq([a, b, c], 1));
      });

      it('round-trips every field of different event types, and what it returns validates', async () => {
        const events = variedEvents();
        await store.append('kfn', events);
        const read = await store.readEvents('kfn', 0);
        expect(read).toEqual(withSeq(events, 1));
        for (const e of read) expect(storedEventSchema.parse(e)).toEqual(e);
      });

      it("leaves the caller's events as they were: no seq put on them, nothing frozen", async () => {
        const events = variedEvents();
        const before = structuredClone(events);
        const stored = await store.append('kfn', events);
        expect(events).toEqual(before);
        for (const e of events) {
          expect(e).not.toHaveProperty('seq');
          expect(Object.isFrozen(e)).toBe(false);
          expect(Object.isFrozen((e as { actor: object }).actor)).toBe(false);
        }
        // What it returns is its own: stamped and numbered, not the caller's objects.
        stored.forEach((s, i) => expect(s).not.toBe(events[i]));
      });

      it('reads only the events after afterSeq, oldest first', async () => {
        const events = Array.from({ length: 5 }, () => newEvent());
        for (const e of events) await store.append('kfn', [e]);
        expect((await store.readEvents('kfn', 2)).map((e) => e.seq)).toEqual([3, 4, 5]);
        expect(await store.readEvents('kfn', 4)).toEqual(withSeq([events[4]!], 5));
        expect(await store.readEvents('kfn', 5)).toEqual([]);
        expect(await store.readEvents('kfn', 99)).toEqual([]);
        expect(await store.readEvents('kfn', 0)).toEqual(withSeq(events, 1));
      });

      it('appends several events as one write with consecutive seqs', async () => {
        await store.append('kfn', [newEvent()]);
        const batch = [newEvent(), newEvent(), newEvent()];
        expect(await store.append('kfn', batch)).toEqual(withSeq(batch, 2));
        expect(await store.readEvents('kfn', 1)).toEqual(withSeq(batch, 2));
      });

      it('appends when expectedSeq is the last seq (0 for an empty stream)', async () => {
        const a = newEvent();
        expect(await store.append('kfn', [a], 0)).toEqual(withSeq([a], 1));
        const batch = [newEvent(), newEvent()];
        expect(await store.append('kfn', batch, 1)).toEqual(withSeq(batch, 2));
        const c = newEvent();
        expect(await store.append('kfn', [c], 3)).toEqual(withSeq([c], 4));
        expect((await store.readEvents('kfn', 0)).map((e) => e.id)).toEqual([a, ...batch, c].map((e) => e.id));
      });

      it.each([
        ['behind', 1],
        ['ahead', 5],
        ['0 on a stream with events', 0],
      ])('rejects with VersionConflictError and writes nothing when expectedSeq is %s', async (_label, expected) => {
        const before = [newEvent(), newEvent(), newEvent()];
        await store.append('kfn', before);
        const err = await store.append('kfn', [newEvent(), newEvent()], expected).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(VersionConflictError);
        expect(err).toMatchObject({ stream: 'kfn', expectedSeq: expected, actualSeq: 3 });
        expect(await store.readEvents('kfn', 0)).toEqual(withSeq(before, 1));
        // The stream still works, at the seq it had.
        const next = newEvent();
        expect(await store.append('kfn', [next], 3)).toEqual(withSeq([next], 4));
      });

      it('rejects expectedSeq > 0 on an empty stream and does not create it', async () => {
        await expect(store.append('kfn', [newEvent()], 1)).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.readEvents('kfn', 0)).toEqual([]);
        expect(await store.listStreams()).toEqual([]);
      });

      it('lets exactly one of 20 concurrent appends with the same expectedSeq win', async () => {
        await store.append('kfn', [newEvent(), newEvent()]);
        const contenders = Array.from({ length: 20 }, (_, i) => [newEvent(`c${i}`), newEvent(`c${i}b`)]);
        const { ok, errors } = await settle(contenders.map((events) => store.append('kfn', events, 2)));
        expect(ok).toHaveLength(1);
        expect(errors).toHaveLength(19);
        for (const e of errors) expect(e).toBeInstanceOf(VersionConflictError);
        const stored = await store.readEvents('kfn', 0);
        expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
        // What is stored is exactly the winner's batch.
        expect(stored.slice(2)).toEqual(ok[0]);
        const winner = contenders.find((c) => c[0]!.id === ok[0]![0]!.id)!;
        expect(ok[0]).toEqual(withSeq(winner, 3));
      });

      it('serializes 20 concurrent unconditional appends without losing or mixing any', async () => {
        const batches = Array.from({ length: 20 }, (_, i) => [newEvent(`u${i}`), newEvent(`u${i}b`)]);
        const results = await Promise.all(batches.map((events) => store.append('kfn', events)));
        const stored = await store.readEvents('kfn', 0);
        expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        results.forEach((result, i) => {
          // Each batch got two consecutive seqs and is stored there, as returned.
          expect(result[1]!.seq).toBe(result[0]!.seq + 1);
          expect(result).toEqual(withSeq(batches[i]!, result[0]!.seq));
          expect(stored[result[0]!.seq - 1]).toEqual(result[0]);
          expect(stored[result[1]!.seq - 1]).toEqual(result[1]);
        });
      });

      it('is read-your-writes: an append that resolved is seen by the next read', async () => {
        for (let i = 1; i <= 10; i++) {
          await store.append('kfn', [newEvent()], i - 1);
          expect((await store.readEvents('kfn', i - 1)).map((e) => e.seq)).toEqual([i]);
        }
      });

      const invalid: [string, (e: NewEvent) => unknown][] = [
        ['an unknown type', (e) => ({ ...e, type: 'fraga.invented' })],
        ['a missing payload field', (e) => ({ ...e, text: undefined })],
        ['a wrong field type', (e) => ({ ...e, late: 'ja' })],
        ['a malformed instant', (e) => ({ ...e, at: '4 mars 2025' })],
        ['an empty id', (e) => ({ ...e, id: '' })],
        ['an unknown channel', (e) => ({ ...e, actor: { via: 'fax' } })],
        ['no actor', (e) => ({ ...e, actor: undefined })],
        ['not an object', () => 'fraga.announced'],
      ];

      it.each(invalid)('rejects an event with %s and writes nothing', async (_label, spoil) => {
        await store.append('kfn', [newEvent()]);
        const bad = spoil(newEvent()) as NewEvent;
        // The bad event sits between two good ones: the whole append must be refused.
        const err = await store.append('kfn', [newEvent(), bad, newEvent()]).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(Error);
        expect(err).not.toBeInstanceOf(VersionConflictError);
        expect((await store.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1]);
        await expect(store.append('other', [bad], 0)).rejects.toBeInstanceOf(Error);
        expect(await store.readEvents('other', 0)).toEqual([]);
        expect(await store.listStreams()).toEqual(['kfn']);
        // Later appends still get the next seq.
        expect((await store.append('kfn', [newEvent()], 1))[0]!.seq).toBe(2);
      });

      it('keeps streams apart: own seqs, own expectedSeq, own events', async () => {
        const k = [newEvent(), newEvent()];
        const b = [newEvent()];
        await store.append('kfn', k, 0);
        await store.append('bun', b, 0);
        expect((await store.append('bun', [newEvent()], 1))[0]!.seq).toBe(2);
        await expect(store.append('kfn', [newEvent()], 1)).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.readEvents('kfn', 0)).toEqual(withSeq(k, 1));
        expect((await store.readEvents('bun', 0)).map((e) => e.id)).toEqual([b[0]!.id, expect.any(String)]);
      });

      it('treats ids that differ in case or contain odd characters as different streams', async () => {
        const ids = ['kfn', 'KFN', 'Kfn', 'bygg/miljö 2025', '../kfn', 'kfn.2025', 'a:b*c?', 'ålands-nämnd', 'con', '%41'];
        for (const [i, id] of ids.entries()) {
          for (let n = 0; n <= i; n++) await store.append(id, [newEvent(`${id}#${n}`)]);
        }
        expect([...(await store.listStreams())].sort()).toEqual([...ids].sort());
        for (const [i, id] of ids.entries()) {
          const events = await store.readEvents(id, 0);
          expect(events).toHaveLength(i + 1);
          expect(events.every((e, n) => e.type === 'fraga.announced' && e.questionId === `q-${id}#${n}`)).toBe(true);
        }
      });

      it('lists every stream that has events, once', async () => {
        await store.append('kfn', [newEvent()]);
        await store.append('bun', [newEvent(), newEvent()]);
        await store.append('kfn', [newEvent()]);
        await store.readEvents('never-written', 0);
        expect([...(await store.listStreams())].sort()).toEqual(['bun', 'kfn']);
      });
    });

    describe('claims', () => {
      it('gives a key to one owner at a time', async () => {
        expect(await store.claim('r1', 'proc-a', 10_000)).toBe(true);
        expect(await store.claim('r1', 'proc-b', 10_000)).toBe(false);
        // Held means held, also when the holder asks again.
        expect(await store.claim('r1', 'proc-a', 10_000)).toBe(false);
        // Other keys are free.
        expect(await store.claim('r2', 'proc-b', 10_000)).toBe(true);
      });

      it('lets exactly one of 10 concurrent claimers win', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claim('r1', `proc-${i}`, 10_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('releases only for the owner', async () => {
        await store.claim('r1', 'proc-a', 10_000);
        await store.release('r1', 'proc-b');
        expect(await store.claim('r1', 'proc-b', 10_000)).toBe(false);
        await store.release('r1', 'proc-a');
        expect(await store.claim('r1', 'proc-b', 10_000)).toBe(true);
        // Releasing a key nobody holds does nothing.
        await expect(store.release('nobody', 'proc-a')).resolves.toBeUndefined();
      });

      it('expires after its ttl, and the old owner cannot release the new claim', async () => {
        expect(await store.claim('r1', 'proc-a', 200)).toBe(true);
        expect(await store.claim('r1', 'proc-b', 200)).toBe(false);
        await sleep(350);
        expect(await store.claim('r1', 'proc-b', 10_000)).toBe(true);
        await store.release('r1', 'proc-a');
        expect(await store.claim('r1', 'proc-c', 10_000)).toBe(false);
      });
    });

    describe('once-marks', () => {
      it('is true the first time and false while the mark lives', async () => {
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(true);
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(false);
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(false);
        expect(await store.markOnce('slack:Ev2', 10_000)).toBe(true);
      });

      it('is true for exactly one of 10 concurrent marks', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => store.markOnce('teams:a1', 10_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('expires after its ttl', async () => {
        expect(await store.markOnce('slack:Ev1', 200)).toBe(true);
        expect(await store.markOnce('slack:Ev1', 200)).toBe(false);
        await sleep(350);
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(true);
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(false);
      });

      it('can be removed with unmark, for that key only', async () => {
        await store.markOnce('slack:Ev1', 10_000);
        await store.markOnce('slack:Ev2', 10_000);
        await store.unmark('slack:Ev1');
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(true);
        expect(await store.markOnce('slack:Ev2', 10_000)).toBe(false);
        await expect(store.unmark('never-marked')).resolves.toBeUndefined();
      });
    });

    describe('once-marks set with an append', () => {
      const mark = (key: string, ttlMs = 10_000) => ({ key, ttlMs });

      it('sets the marks together with the events: both are there afterwards', async () => {
        const [stored] = await store.append('kfn', [newEvent()], 0, [mark('slack:Ev1'), mark('teams:a1')]);
        expect(stored!.seq).toBe(1);
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(false);
        expect(await store.markOnce('teams:a1', 10_000)).toBe(false);
        // Also without an expected seq, and with no events at all.
        await store.append('kfn', [newEvent()], undefined, [mark('slack:Ev2')]);
        expect(await store.append('bun', [], undefined, [mark('slack:Ev3')])).toEqual([]);
        expect(await store.markOnce('slack:Ev2', 10_000)).toBe(false);
        expect(await store.markOnce('slack:Ev3', 10_000)).toBe(false);
        expect((await store.readEvents('kfn', 0)).map((e) => e.seq)).toEqual([1, 2]);
      });

      it('refuses all when one mark is set already: nothing appended, no other mark set, those seen named', async () => {
        await store.markOnce('slack:Ev2', 10_000);
        const err = await store.append('kfn', [newEvent()], 0, [mark('slack:Ev1'), mark('slack:Ev2'), mark('slack:Ev3')]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AlreadyMarkedError);
        expect((err as AlreadyMarkedError).keys).toEqual(['slack:Ev2']);
        expect(await store.readEvents('kfn', 0)).toEqual([]);
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(true);
        expect(await store.markOnce('slack:Ev3', 10_000)).toBe(true);
      });

      it('sets no mark when the expected seq does not hold', async () => {
        await store.append('kfn', [newEvent()]);
        await expect(store.append('kfn', [newEvent()], 0, [mark('slack:Ev1')])).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(true);
        expect(await store.readEvents('kfn', 0)).toHaveLength(1);
      });

      it('lets exactly one of 10 concurrent appends with the same mark through', async () => {
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.append('kfn', [newEvent()], undefined, [mark('teams:a2')])));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AlreadyMarkedError);
        expect(await store.readEvents('kfn', 0)).toHaveLength(1);
      });

      it('marks that expire like markOnce, and a key given twice counts once', async () => {
        await store.append('kfn', [newEvent()], 0, [mark('slack:Ev1', 200), mark('slack:Ev1', 200)]);
        expect(await store.markOnce('slack:Ev1', 200)).toBe(false);
        await sleep(350);
        expect(await store.markOnce('slack:Ev1', 10_000)).toBe(true);
      });
    });

    it('keeps claims, once-marks and values apart even under the same key', async () => {
      expect(await store.claim('k', 'proc-a', 10_000)).toBe(true);
      expect(await store.markOnce('k', 10_000)).toBe(true);
      expect(await store.getValue('k')).toBeUndefined();
      await store.setValue('k', { x: 1 });
      expect(await store.claim('k', 'proc-b', 10_000)).toBe(false);
      expect(await store.markOnce('k', 10_000)).toBe(false);
      await store.unmark('k');
      expect(await store.getValue('k')).toEqual({ x: 1 });
      await store.release('k', 'proc-a');
      expect(await store.getValue('k')).toEqual({ x: 1 });
    });

    describe('values', () => {
      it('is undefined for an unknown key', async () => {
        expect(await store.getValue('teams:conversation:anna')).toBeUndefined();
      });

      it.each([
        ['an object', { serviceUrl: 'https://smba.example/emea/', conversation: { id: 'a:1' }, user: { name: 'Anna Åström' } }],
        ['an array', [1, 'två', { tre: [3] }, null]],
        ['a string', 'hej "där"\nny rad'],
        ['a number', 42.5],
        ['zero', 0],
        ['false', false],
        ['null', null],
        ['an empty object', {}],
      ])('round-trips %s', async (_label, value) => {
        await store.setValue('v', value);
        expect(await store.getValue('v')).toEqual(value);
      });

      it('overwrites, per key', async () => {
        await store.setValue('a', { n: 1 });
        await store.setValue('b', { n: 2 });
        await store.setValue('a', { n: 3 });
        expect(await store.getValue('a')).toEqual({ n: 3 });
        expect(await store.getValue('b')).toEqual({ n: 2 });
      });

      it('stores a copy: changing the object afterwards changes nothing stored', async () => {
        const doc = { list: [1, 2] };
        await store.setValue('a', doc);
        doc.list.push(3);
        const got = (await store.getValue('a')) as { list: number[] };
        expect(got).toEqual({ list: [1, 2] });
        got.list.push(4);
        expect(await store.getValue('a')).toEqual({ list: [1, 2] });
      });

      it('keeps the last of concurrent writes to one key', async () => {
        await Promise.all(Array.from({ length: 10 }, (_, i) => store.setValue('a', { i })));
        expect(await store.getValue('a')).toEqual({ i: 9 });
      });

      it('deletes a value, key and all; deleting an unknown key does nothing', async () => {
        await store.setValue('teams:ref:a', { n: 1 });
        await store.setValue('teams:ref:b', { n: 2 });
        await store.deleteValue('teams:ref:a');
        expect(await store.getValue('teams:ref:a')).toBeUndefined();
        expect(await store.getValue('teams:ref:b')).toEqual({ n: 2 });
        expect(await store.valueKeys('teams:ref:')).toEqual(['teams:ref:b']);
        await expect(store.deleteValue('never-set')).resolves.toBeUndefined();
        await store.setValue('teams:ref:a', { n: 3 });
        expect(await store.getValue('teams:ref:a')).toEqual({ n: 3 });
      });

      it('lists the keys that start with a prefix, sorted; the prefix is taken literally', async () => {
        for (const k of ['teams:ref:b', 'teams:ref:a', 'teams:member:a', 'reminder-retry:x', 'odd*[key]?']) await store.setValue(k, 1);
        expect(await store.valueKeys('teams:ref:')).toEqual(['teams:ref:a', 'teams:ref:b']);
        expect(await store.valueKeys('teams:')).toEqual(['teams:member:a', 'teams:ref:a', 'teams:ref:b']);
        expect(await store.valueKeys('odd*[')).toEqual(['odd*[key]?']);
        expect(await store.valueKeys('nothing:')).toEqual([]);
        // Claims and marks are not values.
        await store.markOnce('teams:ref:mark', 10_000);
        await store.claim('teams:ref:claim', 'p', 10_000);
        expect(await store.valueKeys('teams:ref:')).toEqual(['teams:ref:a', 'teams:ref:b']);
      });
    });

    describe('redaction (retention)', () => {
      const blank = (e: StoredEvent): StoredEvent => ({ ...e, actor: { via: e.actor.via }, ...(e.type === 'fraga.announced' ? { memberId: '(gallrad)', text: '(gallrad)' } : {}) }) as StoredEvent;

      it('replaces the given events in place: same seqs, the rest untouched, appends go on after them', async () => {
        const events = [newEvent(), newEvent(), newEvent()];
        await store.append('kfn', events);
        const stored = await store.readEvents('kfn', 0);
        await store.redact('kfn', [blank(stored[0]!), blank(stored[2]!)]);
        const read = await store.readEvents('kfn', 0);
        expect(read).toEqual([blank(stored[0]!), stored[1], blank(stored[2]!)]);
        for (const e of read) expect(storedEventSchema.parse(e)).toEqual(e);
        expect(JSON.stringify(read)).not.toContain(events[0]!.type === 'fraga.announced' ? events[0]!.text : '?');
        // The stream's length is what it was: a conditional append on it still works.
        const next = newEvent();
        expect(await store.append('kfn', [next], 3)).toEqual(withSeq([next], 4));
        expect(await store.readEvents('kfn', 2)).toEqual([blank(stored[2]!), ...withSeq([next], 4)]);
      });

      it('refuses a seq not in the stream, another id or another type, and then changes nothing', async () => {
        await store.append('kfn', [newEvent(), newEvent()]);
        const stored = await store.readEvents('kfn', 0);
        const good = blank(stored[0]!);
        await expect(store.redact('kfn', [good, { ...blank(stored[1]!), seq: 3 } as StoredEvent])).rejects.toBeInstanceOf(RangeError);
        await expect(store.redact('kfn', [good, { ...blank(stored[1]!), id: 'someone-else' } as StoredEvent])).rejects.toBeInstanceOf(RangeError);
        const otherType = { id: stored[1]!.id, at: stored[1]!.at, actor: { via: 'cli' }, type: 'fraga.withdrawn', questionId: 'q', seq: 2 } as StoredEvent;
        await expect(store.redact('kfn', [good, otherType])).rejects.toBeInstanceOf(RangeError);
        await expect(store.redact('nowhere', [good])).rejects.toBeInstanceOf(RangeError);
        // Not a valid record: refused before anything is written.
        await expect(store.redact('kfn', [{ ...good, type: 'nonsense' } as unknown as StoredEvent])).rejects.toThrow();
        expect(await store.readEvents('kfn', 0)).toEqual(stored);
        await expect(store.redact('kfn', [])).resolves.toBeUndefined();
        expect(await store.readEvents('kfn', 0)).toEqual(stored);
      });

      it('loses and reorders nothing appended while it runs', async () => {
        await store.append('kfn', Array.from({ length: 20 }, () => newEvent()));
        const stored = await store.readEvents('kfn', 0);
        const more = Array.from({ length: 20 }, () => newEvent());
        const appends = more.map((e) => store.append('kfn', [e]));
        const redaction = store.redact('kfn', stored.map(blank));
        const results = await Promise.all(appends);
        await redaction;
        expect(results.map((r) => r[0]!.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 21 + i));
        const read = await store.readEvents('kfn', 0);
        expect(read.slice(0, 20)).toEqual(stored.map(blank));
        // Each append's answer is what is stored at its seq, and every one of them is there.
        for (const [e] of results) expect(read[e!.seq - 1]).toEqual(e);
        expect(new Set(read.slice(20).map((e) => e.id))).toEqual(new Set(more.map((e) => e.id)));
        expect(read.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      });
    });

    it('refuses work after close with StoreUnavailableError', async () => {
      await store.append('kfn', [newEvent()]);
      await store.close();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.append('kfn', [newEvent()])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readEvents('kfn', 0)).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });
}
