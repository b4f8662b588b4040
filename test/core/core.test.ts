import { committeeSchema } from '../../src/domain/committee';
import { Core, STORE_DOWN_TEXT } from '../../src/core/core';
import { toPlainText } from '../../src/core/message';
import { outgoing, SekretessLeakError } from '../../src/core/outgoing';
import { ManualClock } from '../../src/domain/clock';
import { StoreUnavailableError, type Store } from '../../src/store/store';
import { makeHarness, plain, type Harness } from '../support/harness';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { FileStore } from '../../src/store/file-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EXAMPLE } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

describe('hjälp shows only what the role may do', () => {
  test.each([
    ['amira.haddad', ['jäv <ärende>', 'övrig fråga [möte'], ['jäv översikt', 'övrig fråga godkänn', 'koppla']],
    ['maria.ekstrom', ['jäv översikt', 'övrig fråga godkänn', 'koppla'], ['jäv <ärende>', 'jäv lista']],
    ['karin.lundqvist', ['jäv <ärende>', 'jäv översikt', 'övriga frågor'], ['övrig fråga godkänn', 'koppla']],
    ['fatima.rahimi', ['hjälp', 'möten', 'ärenden'], ['jäv', 'övrig fråga']],
  ])('%s', async (who, shown, hidden) => {
    const text = await h.text(who, 'hjälp');
    for (const s of shown) expect(text).toContain(s);
    const lines = text.split('\n').filter((l) => l.startsWith('  • '));
    for (const s of hidden) expect(lines.some((l) => l.startsWith(`  • ${s}`))).toBe(false);
    // Every command listed comes with an example.
    for (const l of lines) expect(l).toContain('Exempel: ');
  });
});

describe('bad input gets a Swedish answer and changes nothing', () => {
  test.each([
    ['', 'Skriv ett kommando, till exempel hjälp.'],
    ['blargh', 'Jag förstår inte "blargh". Skriv hjälp för att se vad du kan göra.'],
    ['ジャブ 3', 'Jag förstår inte "ジャブ". Skriv hjälp'],
    ['x'.repeat(10_000), 'Meddelandet är för långt (10000 tecken). Skriv högst 4000 tecken.'],
  ])('%j', async (text, expected) => {
    expect(await h.text('amira.haddad', text)).toContain(expected);
    expect(await h.eventCount()).toBe(0);
  });

  test('a malformed incoming (from a buggy adapter) is answered, not thrown', async () => {
    const replies = await h.core.handle({ deliveryId: '', platform: 'console', platformUserId: 'amira.haddad', place: { kind: 'private' }, input: { kind: 'text', text: 'hjälp' } });
    expect(plain(replies)).toBe('Jag kunde inte läsa meddelandet. Försök igen, eller skriv hjälp.');
  });
});

describe('a delivery seen twice is processed once', () => {
  test('the same delivery id', async () => {
    const incoming = { deliveryId: 'slack-Ev123', platform: 'console' as const, platformUserId: 'amira.haddad', place: { kind: 'private' as const }, input: { kind: 'text' as const, text: 'jäv 3 part' } };
    expect(plain(await h.core.handle(incoming))).toContain('Jäv anmält');
    expect(await h.core.handle(incoming)).toEqual([]);
    expect(await h.eventCount()).toBe(1);
  });

  test('the same delivery twice at once: one is answered and recorded, the other answered nothing', async () => {
    const incoming = { deliveryId: 'slack-Ev124', platform: 'console' as const, platformUserId: 'amira.haddad', place: { kind: 'private' as const }, input: { kind: 'text' as const, text: 'jäv 3 part' } };
    const [a, b] = await Promise.all([h.core.handle(incoming), h.core.handle(incoming)]);
    expect([plain(a), plain(b)].sort()).toEqual(['', expect.stringContaining('Jäv anmält')]);
    expect(await h.eventCount()).toBe(1);
  });

  test('the same delivery in two processes at once: recorded once, and what came with it in the refused batch is recorded too', async () => {
    const other = new Core({ committees: [h.committee], store: h.store, clock: h.clock });
    const retried = { deliveryId: 'slack-Ev126', platform: 'console' as const, platformUserId: 'amira.haddad', place: { kind: 'private' as const }, input: { kind: 'text' as const, text: 'övrig fråga Hur går det med simhallen?' } };
    const alongside = { ...retried, deliveryId: 'slack-Ev127', platformUserId: 'johan.sjoberg', input: { kind: 'text' as const, text: 'jäv 4 part' } };
    const [a, b, c] = await Promise.all([h.core.handle(retried), other.handle(retried), other.handle(alongside)]);
    expect([plain(a), plain(b)].filter((t) => t !== '')).toHaveLength(1);
    expect(plain(c)).toContain('Jäv anmält');
    const events = await h.store.readEvents('kfn', 0);
    expect(events.filter((e) => e.type === 'fraga.announced')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'jav.declared')).toHaveLength(1);
  });

  test('a delivery seen before is answered nothing, also when the command would only be refused', async () => {
    const incoming = { deliveryId: 'slack-Ev125', platform: 'console' as const, platformUserId: 'amira.haddad', place: { kind: 'private' as const }, input: { kind: 'text' as const, text: 'blargh' } };
    expect(plain(await h.core.handle(incoming))).toContain('Jag förstår inte "blargh"');
    expect(await h.core.handle(incoming)).toEqual([]);
  });

  test('the mark survives a restart of the store', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-dedupe-'));
    const committee = await loadCommitteeFile(EXAMPLE);
    const clock = new ManualClock('2027-01-10T10:00:00+01:00');
    const incoming = { deliveryId: 'retry-1', platform: 'slack' as const, platformUserId: 'U0KFN0AMIRA', place: { kind: 'private' as const }, input: { kind: 'text' as const, text: 'jäv 3 part' } };
    const slackId = committee.members.find((m) => m.id === 'amira.haddad')!.identities.slack[0];
    incoming.platformUserId = slackId;
    let store = await FileStore.open({ dataDir: dir, clock });
    expect(plain(await new Core({ committees: [committee], store, clock }).handle(incoming))).toContain('Jäv anmält');
    await store.close();
    store = await FileStore.open({ dataDir: dir, clock });
    expect(await new Core({ committees: [committee], store, clock }).handle(incoming)).toEqual([]);
    expect(await store.readEvents('kfn', 0)).toHaveLength(1);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('when the store is down', () => {
  test('the asker gets "försök igen", and the delivery can be retried', async () => {
    let down = true;
    const failing = (store: Store): Store =>
      new Proxy(store, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          if (prop === 'append' || prop === 'readEvents') {
            return (...args: unknown[]) => (down ? Promise.reject(new StoreUnavailableError('down')) : value.apply(target, args));
          }
          // As the file store: while failed it never says a state is current, so the read is tried (and fails).
          if (prop === 'isCurrent') return (...args: unknown[]) => !down && (value.apply(target, args) as boolean);
          return value.bind(target);
        },
      });
    const h2 = await makeHarness({ store: async (dir) => failing(await FileStore.open({ dataDir: dir })) });
    const incoming = { deliveryId: 'd1', platform: 'console' as const, platformUserId: 'amira.haddad', place: { kind: 'private' as const }, input: { kind: 'text' as const, text: 'jäv 3 part' } };
    expect(plain(await h2.core.handle(incoming))).toBe(STORE_DOWN_TEXT);
    expect(STORE_DOWN_TEXT).toContain('Försök igen');
    down = false;
    expect(plain(await h2.core.handle(incoming))).toContain('Jäv anmält');
    expect(await h2.eventCount()).toBe(1);
    await h2.close();
  });
});

describe('members of several committees', () => {
  test('name the committee first; without it they are asked which', async () => {
    const kfn = await loadCommitteeFile(EXAMPLE);
    const other = committeeSchema.parse({
      id: 'son',
      name: 'Socialnämnden',
      shortName: 'SON',
      members: [
        { id: 'amira.haddad', name: 'Amira Haddad', party: 'S', role: 'ledamot', identities: { console: 'amira.haddad' } },
        { id: 'sekr', name: 'Sara Sekreterare', role: 'sekreterare' },
      ],
      meetings: [{ id: 'son-1', date: '2027-01-25', start: '09:00', place: 'Rådhuset', items: [{ lopnummer: '1/27', title: 'Verksamhetsplan' }] }],
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-multi-'));
    const store = await FileStore.open({ dataDir: dir });
    const core = new Core({ committees: [kfn, other], store, clock: new ManualClock('2027-01-10T10:00:00+01:00') });
    const say = async (text: string, id: string) =>
      (await core.handle({ deliveryId: id, platform: 'console', platformUserId: 'amira.haddad', place: { kind: 'private' }, input: { kind: 'text', text } })).map((o) => toPlainText(o.message)).join('\n');
    expect(await say('jäv 1 part', 'a')).toContain('Du sitter i flera nämnder. Skriv nämndens kortnamn först');
    expect(await say('SON jäv 1 part', 'b')).toContain('Jäv anmält i ärende 1/27 Verksamhetsplan till sammanträdet måndag den 25 januari 2027.');
    expect(await say('kfn jäv 3 part', 'c')).toContain('Jäv anmält i ärende 3/27');
    expect(await store.readEvents('son', 0)).toHaveLength(1);
    expect(await store.readEvents('kfn', 0)).toHaveLength(1);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('linking a chat account', () => {
  test('the secretary links a Slack user, who is then recognised', async () => {
    const slack = (user: string, text: string, id: string) => h.core.handle({ deliveryId: id, platform: 'slack', platformUserId: user, place: { kind: 'private' }, input: { kind: 'text', text } });
    const secretarySlack = h.committee.members.find((m) => m.role === 'sekreterare')!.identities.slack[0];
    expect(plain(await slack('U0NEWPERSON', 'jäv 3 part', '1'))).toContain('Jag känner inte igen dig');
    expect(plain(await slack(secretarySlack, 'koppla @U0NEWPERSON nils.holmgren', '2'))).toBe('Kontot U0NEWPERSON på Slack är nu kopplat till Nils Holmgren (S).');
    expect(plain(await slack('U0NEWPERSON', 'vem är jag', '3'))).toBe('Du är Nils Holmgren (S), ersättare i Kultur- och fritidsnämnden.');
    expect(plain(await slack(secretarySlack, 'koppla U0NEWPERSON ingen.alls', '4'))).toContain('Det finns ingen ledamot med id "ingen.alls"');
  });

  test('a ledamot may not link', async () => {
    expect(await h.text('amira.haddad', 'koppla U1 amira.haddad')).toContain('Det kan bara sekreteraren göra');
  });
});

describe('the sekretess rule of the audience seam', () => {
  test('a sekretess message cannot be addressed to a channel', () => {
    expect(() => outgoing({ kind: 'channel' }, { text: 'x', parts: [], sekretess: true })).toThrow(SekretessLeakError);
    expect(outgoing({ kind: 'asker' }, { text: 'x', parts: [], sekretess: true }).audience).toEqual({ kind: 'asker' });
  });
});

describe('look-ups', () => {
  test('möten and ärenden', async () => {
    expect(await h.text('fatima.rahimi', 'möten')).toContain('torsdag den 21 januari 2027 kl. 13.00–16.00, Kommunhuset, sammanträdesrum Tallen (10 ärenden)');
    const items = await h.text('amira.haddad', 'ärenden');
    expect(items).toContain('1/27 Information från förvaltningen (information)');
    expect(items).toContain('8/27 Sekretessärende');
  });
});

describe('many at once', () => {
  const members = ['amira.haddad', 'tomas.engstrom', 'helena.sandberg', 'johan.sjoberg', 'lena.forsberg', 'mikael.oberg', 'sofia.bergkvist', 'nils.holmgren', 'ingrid.dahl', 'robin.lindgren'];
  /** A text command to `core` (the cores here stand for bot processes), with its own delivery id. */
  const via = (core: Core, who: string, text: string, id: string) =>
    core.handle({ deliveryId: id, platform: 'console', platformUserId: who, place: { kind: 'private' }, input: { kind: 'text', text } });

  test('50 concurrent declarations in one committee are all recorded, in one gapless sequence', async () => {
    const commands = members.flatMap((m) => ['2', '3', '4', '5', '6'].map((item) => h.text(m, `jäv ${item} part`)));
    const answers = await Promise.all(commands);
    expect(answers.every((a) => a.startsWith('Jäv anmält'))).toBe(true);
    const events = await h.store.readEvents('kfn', 0);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const ids = events.map((e) => (e.type === 'jav.declared' ? e.declarationId : ''));
    expect(new Set(ids).size).toBe(50);
  });

  test('commands that come in together are decided together and recorded in one append', async () => {
    const appends: number[] = [];
    const counted = await makeHarness({
      store: async (dir) => {
        const store = await FileStore.open({ dataDir: dir });
        const append: Store['append'] = (stream, events, expectedSeq, marks) => {
          appends.push(events.length);
          return store.append(stream, events, expectedSeq, marks);
        };
        return Object.assign(Object.create(store) as FileStore, { append });
      },
    });
    try {
      const answers = await Promise.all(members.map((m) => counted.text(m, 'jäv 4 part')));
      expect(answers.every((a) => a.startsWith('Jäv anmält'))).toBe(true);
      expect(appends).toEqual([10]);
    } finally {
      await counted.close();
    }
  });

  test('a batch decided after another process appended sees what it appended (the read sent ahead is not trusted blindly)', async () => {
    const other = new Core({ committees: [h.committee], store: h.store, clock: h.clock });
    // Keep this core busy with batches, while the other records a declaration for the same member and ärende.
    const first = Promise.all(members.slice(0, 5).map((m) => h.text(m, 'jäv 5 part')));
    await other.handle({ deliveryId: 'other-1', platform: 'console', platformUserId: 'amira.haddad', place: { kind: 'private' }, input: { kind: 'text', text: 'jäv 6 part' } });
    await first;
    // This core's next declaration of the same jäv sees the other's record: it is not recorded twice.
    expect(await h.text('amira.haddad', 'jäv 6 part')).toContain('Du har redan anmält jäv i ärende 6/27');
    const declared = (await h.store.readEvents('kfn', 0)).filter((e) => e.type === 'jav.declared');
    expect(declared).toHaveLength(6);
  });

  describe('a state that matched the store a moment ago is used without reading first (freshStateMs)', () => {
    const counting = (store: Store) => {
      const calls = { reads: 0, appends: 0 };
      const counted: Store = Object.assign(Object.create(store) as Store, {
        // A store other processes write too (Redis): it cannot know a state is current without a read.
        isCurrent: undefined,
        readEvents: (stream: string, after: number) => (calls.reads++, store.readEvents(stream, after)),
        append: (...args: Parameters<Store['append']>) => (calls.appends++, store.append(...args)),
      });
      return { calls, counted };
    };

    test.each([
      [60_000, 1],
      [0, 10],
    ])('ten commands one after the other with freshStateMs %i: %i reads of the stream, ten appends', async (freshStateMs, reads) => {
      const { calls, counted } = counting(h.store);
      const core = new Core({ committees: [h.committee], store: counted, clock: h.clock, freshStateMs });
      for (const [i, m] of members.entries()) expect(plain(await via(core, m, 'jäv 4 part', `fresh-${i}`))).toContain('Jäv anmält');
      expect(calls).toEqual({ reads, appends: 10 });
      expect(await h.eventCount()).toBe(10);
    });

    test('a write decided on a state another process has moved since is decided again on a read, and recorded once', async () => {
      const mine = new Core({ committees: [h.committee], store: h.store, clock: h.clock, freshStateMs: 60_000 });
      const other = new Core({ committees: [h.committee], store: h.store, clock: h.clock });
      expect(plain(await via(mine, 'tomas.engstrom', 'jäv 4 part', 'w-1'))).toContain('Jäv anmält');
      expect(plain(await via(other, 'amira.haddad', 'jäv 6 part', 'w-2'))).toContain('Jäv anmält');
      // Its cached state lacks the other's record: the append fails on its version, the command is decided again.
      expect(plain(await via(mine, 'amira.haddad', 'jäv 6 part', 'w-3'))).toContain('Du har redan anmält jäv i ärende 6/27');
      const declared = (await h.store.readEvents('kfn', 0)).filter((e) => e.type === 'jav.declared');
      expect(declared).toHaveLength(2);
    });

    test('a command that only answers reads first: it sees what another process recorded a moment before', async () => {
      const mine = new Core({ committees: [h.committee], store: h.store, clock: h.clock, freshStateMs: 60_000 });
      const other = new Core({ committees: [h.committee], store: h.store, clock: h.clock });
      expect(plain(await via(mine, 'amira.haddad', 'jäv 4 part', 'a-1'))).toContain('Jäv anmält');
      expect(plain(await via(other, 'amira.haddad', 'jäv 6 part', 'a-2'))).toContain('Jäv anmält');
      const list = plain(await via(mine, 'amira.haddad', 'jäv lista', 'a-3'));
      expect(list).toContain('4/27');
      expect(list).toContain('6/27');
    });
  });

  test('a read while an append is in flight waits for it: records of a refused append never mix with another process\'s', async () => {
    let entered!: () => void;
    const appendEntered = new Promise<void>((resolve) => (entered = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let held = false;
    const holding: Store = Object.assign(Object.create(h.store) as Store, {
      append: async (...args: Parameters<Store['append']>) => {
        if (!held) {
          held = true;
          entered();
          await gate;
        }
        return h.store.append(...args);
      },
    });
    const mine = new Core({ committees: [h.committee], store: holding, clock: h.clock });
    const other = new Core({ committees: [h.committee], store: h.store, clock: h.clock });

    const pending = via(mine, 'tomas.engstrom', 'jäv 4 part', 'held-1');
    await appendEntered;
    // Another process writes three records while this one's append (expecting an empty stream) waits.
    for (const [i, [who, item]] of [['amira.haddad', '6'], ['helena.sandberg', '5'], ['johan.sjoberg', '2']].entries()) {
      expect(plain(await via(other, who!, `jäv ${item} part`, `other-${i}`))).toContain('Jäv anmält');
    }
    const looking = mine.log.state('kfn').then((state) => ({ version: state.version, declared: [...state.declarations.values()].map((d) => `${d.memberId} ${d.lopnummer}`) }));
    open();
    const seen = await looking;
    expect(plain(await pending)).toContain('Jäv anmält');
    // What the read showed is what the store holds up to that version, in that order.
    const stored = (await h.store.readEvents('kfn', 0)).slice(0, seen.version).flatMap((e) => (e.type === 'jav.declared' ? [`${e.memberId} ${e.lopnummer}`] : []));
    expect(seen.declared).toEqual(stored);
    expect(seen.declared.slice(0, 3)).toEqual(['amira.haddad 6/27', 'helena.sandberg 5/27', 'johan.sjoberg 2/27']);
  });

  test('two cores (as two bot processes) on one store: every command recorded once, ids never reused', async () => {
    const other = new Core({ committees: [h.committee], store: h.store, clock: h.clock });
    const viaOther = (who: string, text: string, id: string) =>
      other.handle({ deliveryId: `other-${id}`, platform: 'console', platformUserId: who, place: { kind: 'private' }, input: { kind: 'text', text } });
    const work = members.flatMap((m, i) => [h.text(m, `övrig fråga Fråga A från ${m}`), viaOther(m, `övrig fråga Fråga B från ${m}`, String(i))]);
    await Promise.all(work);
    const events = await h.store.readEvents('kfn', 0);
    expect(events).toHaveLength(20);
    const ids = events.map((e) => (e.type === 'fraga.announced' ? e.questionId : ''));
    expect(new Set(ids).size).toBe(20);
  });
});

describe('query: look-ups for screens an adapter draws', () => {
  test('answers like the command, records nothing and refuses what would record', async () => {
    const amiraSlack = h.committee.members.find((m) => m.id === 'amira.haddad')!.identities.slack[0];
    expect(plain(await h.core.query('slack', amiraSlack, 'möten'))).toContain('Kommande sammanträden i Kultur- och fritidsnämnden:');
    expect(plain(await h.core.query('slack', amiraSlack, 'jäv 3 part'))).toBe('Det här kan bara göras som ett kommando.');
    expect(await h.eventCount()).toBe(0);
    // No once-mark was spent: the same "delivery" through handle is processed normally.
    expect(plain(await h.core.handle({ deliveryId: 'query', platform: 'slack', platformUserId: amiraSlack, place: { kind: 'private' }, input: { kind: 'text', text: 'jäv 3 part' } }))).toContain('Jäv anmält');
  });
});
