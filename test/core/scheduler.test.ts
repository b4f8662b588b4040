/**
 * The scheduler on a manual clock, the real FileStore and the recording adapter.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Core } from '../../src/core/core';
import { AdapterDelivery } from '../../src/core/delivery';
import type { Logger } from '../../src/core/logger';
import { Scheduler, type SchedulerOptions, type TickReport } from '../../src/core/scheduler';
import { FileStore } from '../../src/store/file-store';
import type { Store } from '../../src/store/store';
import { committeeSchema } from '../../src/domain/committee';
import { makeHarness, type Harness } from '../support/harness';
import { RecordingAdapter } from '../support/recording-adapter';

// Example committee (examples/kfn.yaml): the meeting of torsdag 2027-01-21, 13–16.
const AMIRA = 'amira.haddad';
const JOHAN = 'johan.sjoberg';
const CHAIR = 'karin.lundqvist';
const SECRETARY = 'maria.ekstrom';
const MEETING = 'kfn-2027-01-21';
const id = (kind: string, who: string, offset: string) => `kfn:${MEETING}:${kind}:${who}:${offset}`;

let h: Harness;
let delivery: AdapterDelivery;
let logLines: string[];
let logger: Logger;
const schedulers: Scheduler[] = [];

/**
 * A budget no tick reaches unless a test sets one: a tick then takes a committee's every due
 * reminder however slow the machine (the budget's own tests count time with `elapsedMs`).
 */
function scheduler(options: Partial<SchedulerOptions> = {}, core: Core = h.core): Scheduler {
  const s = new Scheduler({ core, store: h.store, delivery, clock: h.clock, logger, tickBudgetMs: 60_000, ...options });
  schedulers.push(s);
  return s;
}

/** A core serving the example committee and a second one with nothing planned, on the same store. */
function coreWithSecondCommittee(): Core {
  const other = committeeSchema.parse({
    id: 'ovn',
    name: 'Övernämnden',
    shortName: 'ÖN',
    members: [{ id: 'sekr2', name: 'Sekreterare Två', role: 'sekreterare', identities: { console: 'sekr2' } }],
  });
  return new Core({ committees: [h.committee, other], store: h.store, clock: h.clock, delivery });
}

/** Texts the recorder delivered to a member that contain `fragment`. */
const received = (who: string, fragment: string) => h.recorder.to(who).filter((t) => t.includes(fragment));

async function events(type: string) {
  return (await h.store.readEvents('kfn', 0)).filter((e) => e.type === type);
}

async function recordJustering(date = '2027-02-04') {
  const out = await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} ${JOHAN} senast ${date}`);
  expect(out).toContain('Justeringen av protokollet från sammanträdet torsdag den 21 januari 2027 är');
}

beforeEach(async () => {
  // Friday morning after the meeting.
  h = await makeHarness({ now: '2027-01-22T09:00:00+01:00' });
  delivery = new AdapterDelivery();
  delivery.register(h.recorder);
  logLines = [];
  logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
});

afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  await h.close();
});

describe('the justering flow', () => {
  test('when the protocol is ready, the justerare and the ordförande are reminded once, with a Justerat button', async () => {
    await recordJustering();
    const s = scheduler();
    const report = await s.tick();
    expect(report.sent).toEqual(expect.arrayContaining([id('justering', AMIRA, 'ready'), id('justering', JOHAN, 'ready'), id('justering', CHAIR, 'ready')]));
    const toAmira = received(AMIRA, 'klart för justering');
    expect(toAmira).toHaveLength(1);
    expect(toAmira[0]).toContain('Protokollet från sammanträdet torsdag den 21 januari 2027 är klart för justering. Justera det senast torsdag den 4 februari 2027.');
    expect(toAmira[0]).toContain('[Justerat] skriv: justerat 2027-01-21');
    const message = h.recorder.sent.find((x) => x.to === AMIRA && x.text.includes('klart för justering'))!.message;
    const button = message.parts.flatMap((p) => (p.kind === 'buttons' ? p.buttons : []))[0];
    expect(button).toMatchObject({ label: 'Justerat', actionId: 'justering.sign' });
    // The button works: it marks the protocol justerat for Amira.
    expect((await h.click(AMIRA, button.actionId, button.value)).map((o) => o.message.text)).toEqual([
      'Tack! Du har justerat protokollet från sammanträdet torsdag den 21 januari 2027.',
    ]);
    // Ticking again sends nothing twice.
    const again = await s.tick();
    expect(again.sent).toEqual([]);
    expect(received(CHAIR, 'klart för justering')).toHaveLength(1);
    const sent = (await events('reminder.sent')).map((e) => (e.type === 'reminder.sent' ? e.reminderId : ''));
    expect(new Set(sent).size).toBe(sent.length);
    expect((await events('reminder.sent'))[0].actor).toEqual({ via: 'system' });
  });

  test('an early signature: no more reminders for that justerare', async () => {
    await recordJustering();
    const s = scheduler();
    await s.tick();
    h.clock.set('2027-01-29T10:00:00+01:00');
    expect(await h.text(AMIRA, 'justerat')).toContain('Tack! Du har justerat protokollet');
    // Tuesday 2027-02-02 08:00: two working days before the last day.
    h.clock.set('2027-02-02T08:00:00+01:00');
    const report = await s.tick();
    expect(report.sent).toEqual(expect.arrayContaining([id('justering', JOHAN, 'wd2@2027-02-04'), id('justering', CHAIR, 'wd2@2027-02-04')]));
    expect(report.sent).not.toContain(id('justering', AMIRA, 'wd2@2027-02-04'));
    expect(received(AMIRA, 'justera')).toHaveLength(1); // only the first one
    expect(received(JOHAN, 'Påminnelse: justera protokollet från sammanträdet torsdag den 21 januari 2027 senast torsdag den 4 februari 2027.')).toHaveLength(1);
  });

  test('a deadline changed after planning: the reminders follow the new date, the old ones never go out', async () => {
    await recordJustering('2027-02-04');
    const s = scheduler();
    await s.tick();
    // Planned so far: wd2 on 02-02, wd0 on 02-04. The committee moves the day to Thursday 01-28.
    h.clock.set('2027-01-25T11:00:00+01:00');
    await recordJustering('2027-01-28');
    expect((await s.tick()).sent).toEqual([]); // the ready reminders were sent already
    h.clock.set('2027-01-26T08:00:00+01:00');
    expect((await s.tick()).sent).toEqual(expect.arrayContaining([id('justering', JOHAN, 'wd2@2027-01-28')]));
    expect(received(JOHAN, 'senast torsdag den 28 januari 2027')).toHaveLength(1);
    h.clock.set('2027-01-28T08:00:00+01:00');
    expect((await s.tick()).sent).toEqual(expect.arrayContaining([id('justering', JOHAN, 'wd0@2027-01-28')]));
    expect(received(JOHAN, 'I dag är sista dagen att justera')).toHaveLength(1);
    // The old date's reminders never come.
    for (const at of ['2027-02-02T08:00:00+01:00', '2027-02-04T08:00:00+01:00']) {
      h.clock.set(at);
      const r = await s.tick();
      expect(r.sent.filter((x) => x.includes(':justering:') && x.includes('2027-02-04'))).toEqual([]);
    }
    expect(received(JOHAN, 'Sista dag: torsdag den 4 februari 2027')).toHaveLength(1); // only the ready reminder, sent before the change
  });

  test('all signed: the secretary is reminded to post the anslag until anslaget is recorded', async () => {
    await recordJustering();
    const s = scheduler();
    await s.tick();
    h.clock.set('2027-01-27T10:00:00+01:00');
    for (const who of [AMIRA, JOHAN, CHAIR]) await h.say(who, 'justerat');
    const r = await s.tick();
    expect(r.sent).toContain(`kfn:${MEETING}:anslag:${SECRETARY}:signed`);
    const toSecretary = received(SECRETARY, 'justerat av alla');
    expect(toSecretary).toHaveLength(1);
    expect(toSecretary[0]).toContain('Anslå det på anslagstavlan senast fredag den 29 januari 2027.');
    expect(toSecretary[0]).toContain('[Anslaget uppsatt i dag] skriv: anslaget idag 2027-01-21');
    // Thursday morning: reminded again.
    h.clock.set('2027-01-28T08:00:00+01:00');
    expect((await s.tick()).sent).toContain(`kfn:${MEETING}:anslag:${SECRETARY}:day@2027-01-28`);
    // The secretary clicks the button: recorded, and the reminders stop.
    const msg = h.recorder.sent.filter((x) => x.to === SECRETARY).pop()!.message;
    const button = msg.parts.flatMap((p) => (p.kind === 'buttons' ? p.buttons : []))[0];
    const answer = (await h.click(SECRETARY, button.actionId, button.value)).map((o) => o.message.text).join('\n');
    expect(answer).toContain('Anslaget är registrerat: protokollet från sammanträdet torsdag den 21 januari 2027 anslogs torsdag den 28 januari 2027.');
    h.clock.set('2027-01-29T08:00:00+01:00');
    expect((await s.tick()).sent.filter((x) => x.includes(':anslag:'))).toEqual([]);
  });

  test('an overdue justering escalates to the secretary and the ordförande', async () => {
    await recordJustering();
    const s = scheduler();
    await s.tick();
    await h.say(AMIRA, 'justerat');
    h.clock.set('2027-02-05T08:00:00+01:00');
    const r = await s.tick();
    expect(r.sent).toEqual(expect.arrayContaining([id('justering.overdue', SECRETARY, 'overdue@2027-02-04'), id('justering.overdue', CHAIR, 'overdue@2027-02-04')]));
    expect(received(SECRETARY, 'skulle ha justerats senast torsdag den 4 februari 2027')[0]).toContain('Har inte justerat: Johan Sjöberg (SD) och Karin Lundqvist (S).');
  });
});

describe('downtime and restarts', () => {
  test('a restart after downtime: what is due and still matters is sent once; what is past its last day is dropped and logged', async () => {
    await recordJustering();
    const first = scheduler();
    await first.tick();
    await first.stop();

    // Down from Friday until Wednesday 02-03 10:00: wd2 (02-02 08:00) fell due meanwhile.
    h.clock.set('2027-02-03T10:00:00+01:00');
    const core2 = new Core({ committees: [h.committee], store: h.store, clock: h.clock, delivery });
    const second = scheduler({}, core2);
    const r = await second.tick();
    expect(r.sent).toEqual(expect.arrayContaining([id('justering', AMIRA, 'wd2@2027-02-04'), id('justering', JOHAN, 'wd2@2027-02-04')]));
    expect((await second.tick()).sent).toEqual([]);
    expect(received(AMIRA, 'Påminnelse: justera')).toHaveLength(1);

    // Down again until Friday 02-05: the last day's reminder is past its day.
    await second.stop();
    h.clock.set('2027-02-05T10:00:00+01:00');
    const core3 = new Core({ committees: [h.committee], store: h.store, clock: h.clock, delivery });
    const third = scheduler({}, core3);
    const r3 = await third.tick();
    for (const who of [AMIRA, JOHAN, CHAIR]) expect(r3.dropped).toContain(id('justering', who, 'wd0@2027-02-04'));
    expect(received(AMIRA, 'I dag är sista dagen')).toEqual([]);
    const dropped = (await events('reminder.dropped')).filter((e) => e.type === 'reminder.dropped' && e.reminderId === id('justering', AMIRA, 'wd0@2027-02-04'));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ reason: 'stale: last day 2027-02-04 passed', actor: { via: 'system' } });
    // Logged by id, never by name.
    const logged = logLines.filter((l) => l.includes('reminder dropped') && l.includes(id('justering', AMIRA, 'wd0@2027-02-04')));
    expect(logged).toHaveLength(1);
    expect(logLines.join('\n')).not.toMatch(/Amira|Haddad|Karin|protokollet/);
    // The escalation still matters and goes out.
    expect(r3.sent).toContain(id('justering.overdue', SECRETARY, 'overdue@2027-02-04'));
    // A fourth start drops nothing again.
    const core4 = new Core({ committees: [h.committee], store: h.store, clock: h.clock, delivery });
    const r4 = await scheduler({}, core4).tick();
    expect(r4.dropped).toEqual([]);
    expect(r4.sent).toEqual([]);
  });

  test('a claim that is never marked sent expires, and the reminder is sent then', async () => {
    await recordJustering();
    // A process claimed Amira's reminder and died.
    expect(await h.store.claim(`reminder:${id('justering', AMIRA, 'ready')}`, 'crashed-process', 120_000)).toBe(true);
    const s = scheduler();
    const r = await s.tick();
    expect(r.busy).toEqual([id('justering', AMIRA, 'ready')]);
    expect(received(AMIRA, 'klart för justering')).toEqual([]);
    h.clock.advance(60_000);
    expect((await s.tick()).sent).toEqual([]);
    h.clock.advance(61_000);
    expect((await s.tick()).sent).toEqual([id('justering', AMIRA, 'ready')]);
    expect(received(AMIRA, 'klart för justering')).toHaveLength(1);
  });

  test('stop() lets a send in flight finish and releases the claims not yet sent', async () => {
    await recordJustering();
    let unblock!: () => void;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    let calls = 0;
    const slow = {
      deliver: async (identities: { platform: 'console' | 'slack' | 'teams'; platformUserId: string }[], message: Parameters<AdapterDelivery['deliver']>[1]) => {
        if (++calls === 1) await blocked;
        return delivery.deliver(identities, message);
      },
    };
    const s = scheduler({ delivery: slow, sendConcurrency: 1 });
    const ticking = s.tick();
    await new Promise((r) => setTimeout(r, 50));
    const stopping = s.stop();
    unblock();
    await Promise.all([ticking, stopping]);
    const sent = (await events('reminder.sent')).map((e) => (e.type === 'reminder.sent' ? e.reminderId : ''));
    expect(sent).toHaveLength(1);
    // Every other claim was released: another process may take them at once.
    for (const who of [AMIRA, JOHAN, CHAIR]) {
      const rid = id('justering', who, 'ready');
      if (sent.includes(rid)) continue;
      expect(await h.store.claim(`reminder:${rid}`, 'another-process', 60_000)).toBe(true);
    }
  });

  test('each reminder is recorded as soon as it is sent, not after the committee\'s other sends', async () => {
    await recordJustering();
    let unblock!: () => void;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    let calls = 0;
    let recordedWhileBlocked: string[] = [];
    const slow = {
      deliver: async (identities: { platform: 'console' | 'slack' | 'teams'; platformUserId: string }[], message: Parameters<AdapterDelivery['deliver']>[1]) => {
        // The second send hangs, as a crash mid-send would leave it: the first must be on record.
        if (++calls === 2) {
          await new Promise((r) => setTimeout(r, 100));
          recordedWhileBlocked = (await events('reminder.sent')).map((e) => (e.type === 'reminder.sent' ? e.reminderId : ''));
          await blocked;
        }
        return delivery.deliver(identities, message);
      },
    };
    const s = scheduler({ delivery: slow, sendConcurrency: 1 });
    const ticking = s.tick();
    while (calls < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    unblock();
    await ticking;
    expect(recordedWhileBlocked).toHaveLength(1);
    expect((await events('reminder.sent')).length).toBeGreaterThan(1);
  });

  test('the budget is checked inside a committee\'s turn: once spent, no more sends, the claims are given back, and the next tick begins with that committee', async () => {
    await recordJustering();
    const core2 = coreWithSecondCommittee();
    // A counted budget: each delivery takes 60 ms of the tick's 100.
    let elapsed = 0;
    const counting = { deliver: async (identities: Parameters<AdapterDelivery['deliver']>[0], message: Parameters<AdapterDelivery['deliver']>[1]) => {
      elapsed += 60;
      return delivery.deliver(identities, message);
    } };
    const ready = [id('justering', AMIRA, 'ready'), id('justering', JOHAN, 'ready'), id('justering', CHAIR, 'ready')];
    const s = scheduler({ delivery: counting, tickBudgetMs: 100, elapsedMs: () => elapsed, committeeConcurrency: 1 }, core2);
    const first = await s.tick();
    // Two sends (0 → 60 → 120 ms), then the turn is over: the third due reminder is not sent.
    expect(first.sent).toHaveLength(2);
    expect(first).toMatchObject({ planned: 1, deferred: 2 });
    const left = ready.filter((r) => !first.sent.includes(r));
    expect(left).toHaveLength(1);
    // Its claim was given back: another process could take it now.
    expect(await h.store.claim(`reminder:${left[0]}`, 'another-process', 60_000)).toBe(true);
    await h.store.release(`reminder:${left[0]}`, 'another-process');
    // The next tick begins with the committee cut short, sends what it left, and goes on.
    const second = await s.tick();
    expect(second.sent).toEqual(left);
    expect(second).toMatchObject({ planned: 2, deferred: 0 });
    expect(await s.tick()).toMatchObject({ sent: [], planned: 0, deferred: 0 });
    // Each went out once.
    const sent = (await events('reminder.sent')).map((e) => (e.type === 'reminder.sent' ? e.reminderId : ''));
    expect(sent.sort()).toEqual([...ready].sort());
  });

  test('a spent tick budget still makes progress: each tick plans a committee and starts a send, and the committees left wait for the next tick', async () => {
    await recordJustering();
    const core2 = coreWithSecondCommittee();
    const s = scheduler({ tickBudgetMs: 0, committeeConcurrency: 1 }, core2);
    const reports: TickReport[] = [];
    for (let i = 0; i < 5; i++) reports.push(await s.tick());
    // [planned, deferred, sent]: one send a tick for the example committee; then the other
    // committee, begun with once the first is done; then both are planned and nothing is left.
    expect(reports.map((r) => [r.planned, r.deferred, r.sent.length])).toEqual([
      [1, 2, 1],
      [1, 2, 1],
      [1, 1, 1],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    expect(new Set(reports.flatMap((r) => r.sent))).toEqual(new Set([id('justering', AMIRA, 'ready'), id('justering', JOHAN, 'ready'), id('justering', CHAIR, 'ready')]));
  });

  test('started, a tick that left committees for later is followed at once, not after the interval', async () => {
    await recordJustering();
    const core2 = coreWithSecondCommittee();
    const reports: TickReport[] = [];
    const s = scheduler({ tickBudgetMs: 0, committeeConcurrency: 1, intervalMs: 3_600_000, onTick: (r) => reports.push(r) }, core2);
    s.start();
    for (let waited = 0; reports.length < 5 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    // And then nothing more until the interval: the fifth tick left nothing for later.
    await new Promise((r) => setTimeout(r, 200));
    expect(reports.map((r) => [r.planned, r.deferred])).toEqual([
      [1, 2],
      [1, 2],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    expect(reports.flatMap((r) => r.sent)).toHaveLength(3);
  });

  test('started, the working-day calendar of this year and the next is worked out in a turn of its own before the first tick, not in it', async () => {
    await recordJustering();
    const order: string[] = [];
    const calendar = {
      isWorkingDay: (isoDate: string) => {
        order.push(isoDate);
        return true;
      },
    };
    // The tick reads the time first thing: the first reading marks its start.
    const elapsedMs = () => {
      if (!order.includes('tick')) order.push('tick');
      return performance.now();
    };
    const reports: TickReport[] = [];
    const s = scheduler({ calendar, elapsedMs, intervalMs: 3_600_000, onTick: (r) => reports.push(r) });
    s.start();
    for (let waited = 0; reports.length < 1 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(order.slice(0, 3)).toEqual(['2027-01-02', '2028-01-02', 'tick']);
    // The tick planned with the same calendar after that: the justering reminders went out.
    expect(order.slice(3).length).toBeGreaterThan(0);
    expect(reports[0]!.sent).toHaveLength(3);
  });

  test('with several send slots, the reminders a committee sends together are recorded in one append', async () => {
    const appends: string[][] = [];
    const counted = await makeHarness({
      now: '2027-01-22T09:00:00+01:00',
      store: async (dir) => {
        const store = await FileStore.open({ dataDir: dir });
        const append: Store['append'] = (stream, events, expectedSeq, marks) => {
          appends.push(events.map((e) => e.type));
          return store.append(stream, events, expectedSeq, marks);
        };
        return Object.assign(Object.create(store) as FileStore, { append });
      },
    });
    try {
      const recorder = new AdapterDelivery();
      recorder.register(counted.recorder);
      await counted.text(SECRETARY, `justering ${MEETING} ${AMIRA} ${JOHAN} senast 2027-02-04`);
      appends.length = 0;
      // (With the default one slot, each send is recorded before the next begins: one append each.)
      const s = new Scheduler({ core: counted.core, store: counted.store, delivery: recorder, clock: counted.clock, logger, sendConcurrency: 3, tickBudgetMs: 60_000 });
      schedulers.push(s);
      const report = await s.tick();
      expect(report.sent).toHaveLength(3);
      // (Stale reminders of the held meeting are dropped in an append of their own.)
      expect(appends.filter((types) => types.includes('reminder.sent'))).toEqual([['reminder.sent', 'reminder.sent', 'reminder.sent']]);
    } finally {
      await counted.close();
    }
  });

  test('no adapter running yet: the tick waits instead of calling everyone unreachable', async () => {
    await recordJustering();
    const s = scheduler({ delivery: new AdapterDelivery() });
    const r = await s.tick();
    expect(r).toMatchObject({ sent: [], dropped: [], unreachable: [], planned: 0 });
  });

  test('a quiet tick reads nothing from the file store (it is the only writer); a record appended outside the committee log is read at the next tick', async () => {
    await recordJustering();
    const s = scheduler();
    expect((await s.tick()).sent).toHaveLength(3);
    // h.store is the bot's wired store (metered, over the file store), as in production.
    const reads = jest.spyOn(h.store, 'readEvents');
    expect(await s.tick()).toMatchObject({ sent: [], dropped: [], planned: 0 });
    expect(reads).not.toHaveBeenCalled();
    const before = (await h.core.log.state('kfn')).version;
    await h.store.append('kfn', [{ id: 'signed-outside', at: h.clock.now().toISOString(), actor: { via: 'system' }, type: 'justering.signed', meetingId: MEETING, memberId: AMIRA }]);
    await s.tick();
    expect(reads).toHaveBeenCalledWith('kfn', before);
    expect((await h.core.log.state('kfn')).version).toBe(before + 1);
  });
});

describe('two scheduler instances on one Store', () => {
  test('each reminder is sent exactly once', async () => {
    await recordJustering();
    const coreB = new Core({ committees: [h.committee], store: h.store, clock: h.clock, delivery });
    const a = scheduler({ owner: 'process-a' });
    const b = scheduler({ owner: 'process-b' }, coreB);
    const moments = ['2027-01-22T09:00:00+01:00', '2027-01-22T09:01:00+01:00', '2027-02-02T08:00:00+01:00', '2027-02-02T08:00:30+01:00', '2027-02-04T08:00:00+01:00', '2027-02-05T08:00:00+01:00'];
    const sentBy = { a: [] as string[], b: [] as string[] };
    for (const at of moments) {
      h.clock.set(at);
      const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
      sentBy.a.push(...ra.sent);
      sentBy.b.push(...rb.sent);
    }
    const all = [...sentBy.a, ...sentBy.b];
    expect(new Set(all).size).toBe(all.length);
    // Both did some of the work, and every delivery matches exactly one record.
    const records = (await events('reminder.sent')).map((e) => (e.type === 'reminder.sent' ? e.reminderId : ''));
    expect(records.sort()).toEqual([...all].sort());
    expect(new Set(records).size).toBe(records.length);
    const deliveries = h.recorder.sent.filter((x) => /justera/.test(x.text)).length;
    expect(deliveries).toBe(all.filter((x) => x.includes(':justering')).length);
    expect(all).toEqual(expect.arrayContaining([id('justering', AMIRA, 'ready'), id('justering', AMIRA, 'wd2@2027-02-04'), id('justering', AMIRA, 'wd0@2027-02-04'), id('justering.overdue', SECRETARY, 'overdue@2027-02-04')]));
  });
});

describe('failures', () => {
  // A committee with one justerare and no ordförande: exactly one reminder due after recording.
  let dir: string;
  let small: Harness;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'namndbot-sched-'));
    const file = path.join(dir, 'liten.json');
    await writeFile(
      file,
      JSON.stringify({
        id: 'liten',
        name: 'Lilla nämnden',
        shortName: 'LN',
        members: [
          { id: 'sekr', name: 'Sara Sekreterare', role: 'sekreterare', identities: { console: 'sekr' } },
          { id: 'ja', name: 'Jan Justerare', party: 'M', role: 'ledamot', identities: { console: 'ja' } },
        ],
        meetings: [{ id: 'm1', date: '2027-01-21', start: '13:00', end: '16:00', place: 'Kommunhuset' }],
      }),
    );
    small = await makeHarness({ file, now: '2027-01-22T09:00:00+01:00' });
    delivery = new AdapterDelivery();
    delivery.register(small.recorder);
    expect(await small.text('sekr', 'justering m1 ja senast 2027-02-04')).toContain('är inlagd');
  });
  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
    await small.close();
    await rm(dir, { recursive: true, force: true });
  });
  const smallScheduler = (options: Partial<SchedulerOptions> = {}) => {
    const s = new Scheduler({ core: small.core, store: small.store, delivery, clock: small.clock, logger, ...options });
    schedulers.push(s);
    return s;
  };
  const READY = 'liten:m1:justering:ja:ready';

  test('a send that fails twice and then succeeds, with backoff between the attempts', async () => {
    small.recorder.failNext = 2;
    const s = smallScheduler();
    expect((await s.tick()).failed).toEqual([READY]); // attempt 1 at 09:00:00
    small.clock.advance(30_000);
    expect(await s.tick()).toMatchObject({ failed: [], sent: [] }); // backing off (1 min)
    small.clock.advance(30_000);
    expect((await s.tick()).failed).toEqual([READY]); // attempt 2 at 09:01:00
    small.clock.advance(90_000);
    expect(await s.tick()).toMatchObject({ failed: [], sent: [] }); // backing off (2 min)
    small.clock.advance(30_000);
    expect((await s.tick()).sent).toEqual([READY]); // attempt 3 at 09:03:00
    expect(small.recorder.to('ja')).toHaveLength(1);
    expect(small.recorder.to('sekr')).toEqual([]); // two failures are not worth the secretary's time
    expect((await small.store.readEvents('liten', 0)).filter((e) => e.type === 'reminder.sent')).toHaveLength(1);
    expect(logLines.filter((l) => l.includes('will retry'))).toHaveLength(2);
    expect(await small.store.getValue(`reminder-retry:${READY}`)).toBeUndefined(); // attempts forgotten once sent
  });

  test('the backoff is shared through the Store: another process does not retry early', async () => {
    small.recorder.failNext = 1;
    await smallScheduler({ owner: 'a' }).tick();
    const coreB = new Core({ committees: [small.committee], store: small.store, clock: small.clock, delivery });
    const b = new Scheduler({ core: coreB, store: small.store, delivery, clock: small.clock, owner: 'b' });
    schedulers.push(b);
    small.clock.advance(10_000);
    expect((await b.tick()).sent).toEqual([]);
    small.clock.advance(60_000);
    expect((await b.tick()).sent).toEqual([READY]);
  });

  test('after repeated failures the secretary is told, once, and the bot keeps trying', async () => {
    small.recorder.failNext = 3;
    const s = smallScheduler({ retryBaseMs: 1000 });
    for (let i = 0; i < 3; i++) {
      await s.tick();
      small.clock.advance(10_000);
    }
    const told = small.recorder.to('sekr');
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('En påminnelse kunde inte skickas.');
    expect(told[0]).toContain('Jan Justerare (M), ledamot (justering, sammanträdet torsdag den 21 januari 2027) — 3 försök att skicka har misslyckats; Nämndbot försöker igen');
    expect((await s.tick()).sent).toEqual([READY]);
    expect(small.recorder.to('sekr')).toHaveLength(1);
  });

  test('a member the platform refuses is reported to the secretary at once, and the reminder dropped', async () => {
    small.recorder.unreachable.add('ja');
    const s = smallScheduler();
    const r = await s.tick();
    expect(r.unreachable).toEqual([READY]);
    expect(r.dropped).toContain(READY);
    const told = small.recorder.to('sekr');
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Jan Justerare (M), ledamot (justering, sammanträdet torsdag den 21 januari 2027) — kan inte nås: console: appen är inte installerad för personen');
    expect(told[0]).toContain('koppla');
    const dropped = (await small.store.readEvents('liten', 0)).filter((e) => e.type === 'reminder.dropped' && e.reminderId === READY);
    expect(dropped).toMatchObject([{ reason: 'unreachable: console: appen är inte installerad för personen' }]);
    // Not retried, not reported again.
    small.clock.advance(3600_000);
    const again = await s.tick();
    expect(again.unreachable).toEqual([]);
    expect(small.recorder.to('sekr')).toHaveLength(1);
    expect(logLines.some((l) => l.includes('reminder recipient unreachable') && l.includes('"recipientId":"ja"'))).toBe(true);
  });
});
