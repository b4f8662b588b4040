import { Core } from '../../src/core/core';
import { applyEvent, emptyState } from '../../src/domain/state';
import { makeHarness, plain, type Harness } from '../support/harness';

// Example committee (examples/kfn.yaml). The clock stands on Friday 2027-01-22, the day after the
// meeting of torsdag 2027-01-21 (13–16); the one of 2027-02-18 is still to come.
const AMIRA = 'amira.haddad'; // ledamot (S)
const JOHAN = 'johan.sjoberg'; // ledamot (SD)
const TOMAS = 'tomas.engstrom'; // ledamot (S), not a justerare
const CHAIR = 'karin.lundqvist'; // ordförande (S)
const SECRETARY = 'maria.ekstrom';
const OFFICER = 'fatima.rahimi'; // handläggare
const MEETING = 'kfn-2027-01-21';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ now: '2027-01-22T09:00:00+01:00' });
});
afterEach(async () => h.close());

/** The committee's state folded from what the store holds. */
async function foldedState() {
  const state = emptyState();
  for (const e of await h.store.readEvents('kfn', 0)) applyEvent(state, e);
  return state;
}

async function justeringEvents() {
  return (await h.store.readEvents('kfn', 0)).filter((e) => e.type === 'justering.recorded');
}

/** Refused: said so in Swedish, nothing recorded. */
async function refused(as: string, command: string, expected: string) {
  const before = await h.eventCount();
  expect(await h.text(as, command)).toContain(expected);
  expect(await h.eventCount()).toBe(before);
}

describe('justerare on the meeting day', () => {
  test('are registered once the meeting has begun, before it has ended; before its start they are refused', async () => {
    const before = await makeHarness({ now: '2027-02-18T12:30:00+01:00' });
    try {
      const answer = await before.text(SECRETARY, `justering 2027-02-18 ${AMIRA}`);
      expect(answer).toContain('Sammanträdet torsdag den 18 februari 2027 har inte börjat än.');
    } finally {
      await before.close();
    }
    const during = await makeHarness({ now: '2027-02-18T14:30:00+01:00' });
    try {
      const answer = await during.text(SECRETARY, `justering ${AMIRA}`);
      expect(answer).toContain('Justeringen av protokollet från sammanträdet torsdag den 18 februari 2027 är inlagd.');
      expect((await during.store.readEvents('kfn', 0)).filter((e) => e.type === 'justering.recorded')).toMatchObject([{ meetingId: 'kfn-2027-02-18', justerare: [AMIRA] }]);
    } finally {
      await during.close();
    }
  });
});

describe('justering', () => {
  test('records the justerare and the date, and says what happens next', async () => {
    const answer = await h.text(SECRETARY, `justering 2027-01-21 ${AMIRA} ${JOHAN} senast 2027-02-01`);
    expect(answer).toContain('Justeringen av protokollet från sammanträdet torsdag den 21 januari 2027 är inlagd.');
    expect(answer).toContain('Justerare: Amira Haddad (S) och Johan Sjöberg (SD)');
    expect(answer).toContain('Ordförande: Karin Lundqvist (S)');
    expect(answer).toContain('Justera senast: måndag den 1 februari 2027');
    expect(answer).toContain('Nämnden har beslutat att protokollet ska justeras senast måndag den 1 februari 2027.');
    expect(answer).toContain('påminnelser när protokollet är klart, två arbetsdagar före och på morgonen sista dagen, på arbetsdagar kl. 8.00–17.00');
    expect(await justeringEvents()).toMatchObject([
      { type: 'justering.recorded', meetingId: MEETING, justerare: [AMIRA, JOHAN], dueDate: '2027-02-01', actor: { memberId: SECRETARY, via: 'console' } },
    ]);
  });

  test('without a date: the legal limit, 14 days after the meeting', async () => {
    const answer = await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} ${JOHAN}`);
    expect(answer).toContain('Justera senast: torsdag den 4 februari 2027');
    expect(answer).toContain('Senast 14 dagar efter sammanträdet torsdag den 21 januari 2027, enligt kommunallagen.');
    expect((await justeringEvents())[0]).toMatchObject({ dueDate: '2027-02-04' });
  });

  test('without a meeting: the one held most recently; a decided date in the committee file is the default', async () => {
    await h.text(SECRETARY, `justering ${AMIRA} och ${JOHAN}`);
    expect((await justeringEvents())[0]).toMatchObject({ meetingId: MEETING, justerare: [AMIRA, JOHAN] });
    await h.text(SECRETARY, `justering 2026-11-12 ${AMIRA}`);
    expect((await justeringEvents())[1]).toMatchObject({ meetingId: 'kfn-2026-11-12', dueDate: '2026-11-19' });
  });

  test('a date on a non-working day is recorded with a warning and a button for the working day before', async () => {
    const replies = await h.say(SECRETARY, `justering ${MEETING} ${AMIRA} senast 2027-01-30`);
    const text = plain(replies);
    expect(text).toContain('Nämndens beslutade dag för justering, lördag den 30 januari 2027, är ingen arbetsdag.');
    expect(text).toContain('Justera därför senast fredag den 29 januari 2027.');
    expect((await justeringEvents())[0]).toMatchObject({ dueDate: '2027-01-30' });
    const button = replies[0].message.parts.flatMap((p) => (p.kind === 'buttons' ? p.buttons : []))[0];
    expect(button).toMatchObject({ label: 'Använd fredag den 29 januari 2027', command: `justering 2027-01-21 ${AMIRA} senast 2027-01-29` });
    const after = plain(await h.click(SECRETARY, button.actionId, button.value));
    expect(after).toContain('är ändrad');
    expect(after).toContain('Sista dagen ändrades från lördag den 30 januari 2027 till fredag den 29 januari 2027.');
    expect((await justeringEvents())[1]).toMatchObject({ dueDate: '2027-01-29', justerare: [AMIRA] });
  });

  test('a new date keeps the justerare, and their signatures', async () => {
    await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} ${JOHAN} senast 2027-02-01`);
    await h.text(AMIRA, 'justerat');
    expect(await h.text(SECRETARY, `justering ${MEETING} senast 2027-02-02`)).toContain('Sista dagen ändrades från måndag den 1 februari 2027 till tisdag den 2 februari 2027.');
    expect((await justeringEvents())[1]).toMatchObject({ justerare: [AMIRA, JOHAN], dueDate: '2027-02-02' });
    expect(await h.text(AMIRA, 'justerat')).toContain('Du har redan justerat');
  });

  test('the same again changes nothing; naming the ordförande is not needed', async () => {
    await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} senast 2027-02-01`);
    expect(await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} senast 2027-02-01`)).toContain('är redan inlagd så. Inget ändrades.');
    expect(await justeringEvents()).toHaveLength(1);
    expect(await h.text(SECRETARY, `justering ${MEETING} ${CHAIR} ${JOHAN}`)).toContain('Karin Lundqvist (S) justerar som ordförande och behöver inte anges som justerare.');
    expect((await justeringEvents())[1]).toMatchObject({ justerare: [JOHAN] });
  });

  test('missing justerare: a form, which records when submitted', async () => {
    const replies = await h.say(SECRETARY, 'justering');
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form.id).toBe('justering.record');
    expect(form.form.fields.map((f) => f.name)).toEqual(['meeting', 'member', 'text', 'date']);
    expect(form.form.fields[0]).toMatchObject({ value: MEETING });
    expect(form.form.fields[1].options?.map((o) => o.value)).not.toContain(CHAIR);
    expect(form.form.fields[1].options?.map((o) => o.value)).not.toContain(SECRETARY);
    expect(form.form.fields[3]).toMatchObject({ kind: 'date', value: '2027-02-04' });
    expect(plain(replies)).toContain('Du kan också skriva allt på en rad');
    const answer = plain(await h.submit(SECRETARY, 'justering.record', { ...form.form.hidden, meeting: MEETING, member: AMIRA, text: JOHAN, date: '2027-02-03' }));
    expect(answer).toContain('är inlagd');
    expect((await justeringEvents())[0]).toMatchObject({ justerare: [AMIRA, JOHAN], dueDate: '2027-02-03' });
  });

  test('the form proposes the member in turn when the committee rotates', async () => {
    const rotating = { ...h.committee, settings: { ...h.committee.settings, justerareRotation: [JOHAN, AMIRA, TOMAS] } };
    const core = new Core({ committees: [rotating], store: h.store, clock: h.clock });
    const replies = await core.handle({ deliveryId: 'rot-1', platform: 'console', platformUserId: SECRETARY, place: { kind: 'private' }, input: { kind: 'text', text: 'justering' } });
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    // kfn-2027-01-21 is the committee's second meeting by date: the second in the rotation.
    expect(form.form.fields[1].value).toBe(AMIRA);
  });

  test('a bad date in the form comes back on the form', async () => {
    const replies = await h.submit(SECRETARY, 'justering.record', { committee: 'kfn', meeting: MEETING, member: AMIRA, date: '3 februari' });
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form.fields[3].error).toContain('Skriv datumet som ÅÅÅÅ-MM-DD');
    expect(await h.eventCount()).toBe(0);
  });

  test.each([
    ['a ledamot', AMIRA, `justering ${MEETING} ${JOHAN}`, 'Det kan bara sekreteraren göra, och du är ledamot.'],
    ['an unknown justerare', SECRETARY, `justering ${MEETING} ${AMIRA} nisse`, 'Det finns ingen ledamot med id "nisse" i Kultur- och fritidsnämnden. Justerare väljs bland:'],
    ['a handläggare as justerare', SECRETARY, `justering ${MEETING} ${OFFICER}`, 'Fatima Rahimi är handläggare och kan inte justera protokollet.'],
    ['a meeting not yet begun', SECRETARY, `justering 2027-02-18 ${AMIRA}`, 'Sammanträdet torsdag den 18 februari 2027 har inte börjat än.'],
    ['an unknown meeting', SECRETARY, `justering 2027-03-99 ${AMIRA}`, 'Jag hittar varken ett sammanträde eller en ledamot som heter "2027-03-99". Hållna sammanträden: 2027-01-21, 2026-11-12.'],
    ['a date in the wrong format', SECRETARY, `justering ${MEETING} ${AMIRA} senast 4/2`, '"4/2" är inget datum. Skriv datumet som ÅÅÅÅ-MM-DD'],
    ['a date that does not exist', SECRETARY, `justering ${MEETING} ${AMIRA} senast 2027-02-30`, '2027-02-30 finns inte i kalendern.'],
    ['a date after the legal limit', SECRETARY, `justering ${MEETING} ${AMIRA} senast 2027-02-05`, 'fredag den 5 februari 2027 ligger efter lagens gräns: enligt kommunallagen ska protokollet justeras senast torsdag den 4 februari 2027'],
    ['a date before the meeting', SECRETARY, `justering ${MEETING} ${AMIRA} senast 2027-01-20`, 'Justeringen kan inte ligga före sammanträdet, torsdag den 21 januari 2027.'],
    ['four justerare', SECRETARY, `justering ${MEETING} ${AMIRA} ${JOHAN} ${TOMAS} helena.sandberg`, 'Skriv högst 3 justerare; du skrev 4.'],
  ])('refuses %s, changing nothing', async (_, as, command, expected) => {
    await refused(as, command, expected);
  });
});

describe('justerat', () => {
  beforeEach(async () => {
    await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} ${JOHAN} senast 2027-02-01`);
  });

  test('each justerare and the ordförande mark it; the last one hears that the secretary posts the anslag', async () => {
    expect(await h.text(AMIRA, 'justerat')).toBe(
      'Tack! Du har justerat protokollet från sammanträdet torsdag den 21 januari 2027.\nKvar att justera: Johan Sjöberg (SD) och Karin Lundqvist (S).',
    );
    expect(await h.text(CHAIR, `justerat ${MEETING}`)).toContain('Kvar att justera: Johan Sjöberg (SD).');
    h.clock.set('2027-01-27T10:00:00+01:00');
    expect(await h.text(JOHAN, 'justerat 2027-01-21')).toContain('Nu har alla justerat. Sekreteraren ska anslå protokollet senast fredag den 29 januari 2027.');
    const signed = (await h.store.readEvents('kfn', 0)).filter((e) => e.type === 'justering.signed');
    expect(signed.map((e) => (e.type === 'justering.signed' ? e.memberId : ''))).toEqual([AMIRA, CHAIR, JOHAN]);
  });

  test('the secretary records a signature made elsewhere (a signing portal)', async () => {
    expect(await h.text(SECRETARY, `justerat ${MEETING} ${JOHAN}`)).toContain('Registrerat: Johan Sjöberg (SD) har justerat protokollet från sammanträdet torsdag den 21 januari 2027.');
    expect(await h.text(SECRETARY, `justerat ${JOHAN}`)).toContain('Johan Sjöberg (SD) har redan justerat');
  });

  test.each([
    ['someone who is not a justerare', TOMAS, 'justerat 2027-01-21', 'Du är inte justerare för protokollet från sammanträdet torsdag den 21 januari 2027. Det justeras av Amira Haddad (S), Johan Sjöberg (SD) och Karin Lundqvist (S).'],
    ['someone with nothing to justera', TOMAS, 'justerat', 'Du har inget protokoll att justera just nu.'],
    ['a meeting without justering', AMIRA, 'justerat 2026-11-12', 'Sekreteraren har inte lagt in justeringen av protokollet från sammanträdet torsdag den 12 november 2026 än.'],
    ['a meeting not yet held', AMIRA, 'justerat 2027-02-18', 'Sammanträdet torsdag den 18 februari 2027 är inte hållet än, så det finns inget protokoll att justera.'],
    ['an unknown meeting', AMIRA, 'justerat 2027-13-01', 'Jag hittar inget sammanträde "2027-13-01".'],
    ['marking it for someone else', AMIRA, `justerat 2027-01-21 ${JOHAN}`, 'Du kan bara markera att du själv har justerat.'],
    ['the secretary without a name', SECRETARY, 'justerat', 'Skriv vem som har justerat, till exempel: justerat 2027-01-21 amira.haddad'],
    // The core words the role list itself ("ledamöter och ersättare" for any list with both).
    ['a handläggare', OFFICER, 'justerat', 'och du är handläggare.'],
  ])('refuses %s, changing nothing', async (_, as, command, expected) => {
    await refused(as, command, expected);
  });

  test('twice changes nothing', async () => {
    await h.text(AMIRA, 'justerat');
    await refused(AMIRA, 'justerat', 'Du har redan justerat protokollet från sammanträdet torsdag den 21 januari 2027 (fredag den 22 januari 2027). Inget ändrades.');
  });
});

describe('anslaget', () => {
  beforeEach(async () => {
    await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} ${JOHAN} senast 2027-02-01`);
  });

  async function allSign(at: string) {
    h.clock.set(at);
    for (const who of [AMIRA, JOHAN, CHAIR]) await h.say(who, 'justerat');
  }

  test('records the anslag and answers with the last day for överklagande and when it may come down', async () => {
    await allSign('2027-01-28T10:00:00+01:00');
    const answer = await h.text(SECRETARY, 'anslaget 2027-01-28');
    expect(answer).toContain('Anslaget är registrerat: protokollet från sammanträdet torsdag den 21 januari 2027 anslogs torsdag den 28 januari 2027.');
    expect(answer).toContain('Sista dag för överklagande: torsdag den 18 februari 2027');
    expect(answer).toContain('Anslaget får tas ned: tidigast fredag den 19 februari 2027');
    expect(answer).toContain('Tre veckor från dagen då anslaget sattes upp, torsdag den 28 januari 2027, enligt kommunallagen.');
    expect((await h.store.readEvents('kfn', 0)).filter((e) => e.type === 'anslag.recorded')).toMatchObject([{ meetingId: MEETING, postedDate: '2027-01-28' }]);
    expect(await h.text(SECRETARY, 'anslaget 2027-01-28 2027-01-21')).toContain('är redan registrerat som uppsatt torsdag den 28 januari 2027. Inget ändrades.');
  });

  test('re-entering the justering after anslag, only a new date, keeps every signature, the ordförande\'s too', async () => {
    await allSign('2027-01-28T10:00:00+01:00');
    await h.text(SECRETARY, 'anslaget 2027-01-28');
    const answer = await h.text(SECRETARY, `justering ${MEETING} senast 2027-02-02`);
    expect(answer).not.toContain('har inte justerat');
    expect(await h.text(CHAIR, `justerat ${MEETING}`)).toContain('Du har redan justerat');
    const j = (await foldedState()).justering.get(MEETING);
    expect(Object.keys(j?.signedAt ?? {}).sort()).toEqual([AMIRA, JOHAN, CHAIR].sort());
  });

  test('a justerare taken off the list loses their signature; the ordförande keeps theirs', async () => {
    h.clock.set('2027-01-25T10:00:00+01:00');
    for (const who of [AMIRA, JOHAN, CHAIR]) await h.say(who, 'justerat');
    await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} ${TOMAS}`);
    const j = (await foldedState()).justering.get(MEETING);
    expect(Object.keys(j?.signedAt ?? {}).sort()).toEqual([AMIRA, CHAIR].sort());
  });

  test('"idag", and a late anslag is pointed out', async () => {
    await allSign('2027-01-28T10:00:00+01:00');
    h.clock.set('2027-02-02T09:00:00+01:00');
    const answer = await h.text(SECRETARY, 'anslaget idag');
    expect(answer).toContain('anslogs tisdag den 2 februari 2027');
    expect(answer).toContain('Anslaget sattes upp senare än kommunallagen kräver: senast lördag den 30 januari 2027, andra dagen efter justeringen.');
    expect(answer).toContain('Sista dag för överklagande: tisdag den 23 februari 2027');
  });

  test('an överklagande period ending on a weekend moves to the next weekday', async () => {
    // Posted on Saturday 2027-01-30: three weeks is Saturday 2027-02-20, so the last day is Monday 02-22.
    // (Only the wiring is tested here; deadlines.test.ts covers the rule across the calendar.)
    await allSign('2027-01-28T10:00:00+01:00');
    h.clock.set('2027-01-30T10:00:00+01:00');
    expect(await h.text(SECRETARY, 'anslaget 2027-01-30')).toContain('Sista dag för överklagande: måndag den 22 februari 2027');
  });

  test('no date: a form with today filled in', async () => {
    await allSign('2027-01-28T10:00:00+01:00');
    const replies = await h.say(SECRETARY, 'anslaget');
    const form = replies[0].message.parts.find((p) => p.kind === 'form');
    if (form?.kind !== 'form') throw new Error('no form');
    expect(form.form).toMatchObject({ id: 'anslag.record', hidden: { committee: 'kfn', meeting: MEETING } });
    expect(form.form.fields[0]).toMatchObject({ name: 'date', kind: 'date', value: '2027-01-28' });
    expect(plain(await h.submit(SECRETARY, 'anslag.record', { ...form.form.hidden, date: '2027-01-28' }))).toContain('Anslaget är registrerat');
  });

  test.each([
    ['before everyone has justerat', undefined, 'anslaget 2027-01-28', 'Protokollet från sammanträdet torsdag den 21 januari 2027 är inte justerat än: Amira Haddad (S), Johan Sjöberg (SD) och Karin Lundqvist (S) har inte justerat.'],
    ['a date before the justering', '2027-01-28T10:00:00+01:00', 'anslaget 2027-01-27', 'Anslaget kan inte ha satts upp före justeringen, torsdag den 28 januari 2027.'],
    ['a date still to come', '2027-01-28T10:00:00+01:00', 'anslaget 2027-01-29', 'Fredag den 29 januari 2027 har inte varit än.'],
    ['a date in the wrong format', '2027-01-28T10:00:00+01:00', 'anslaget 28/1', '"28/1" är inget datum.'],
    ['a meeting without justering', '2027-01-28T10:00:00+01:00', 'anslaget 2027-01-28 2026-11-12', 'Justeringen av protokollet från sammanträdet torsdag den 12 november 2026 är inte inlagd.'],
    ['a meeting not yet held', '2027-01-28T10:00:00+01:00', 'anslaget 2027-01-28 2027-02-18', 'Sammanträdet torsdag den 18 februari 2027 är inte hållet än'],
  ])('refuses %s, changing nothing', async (_, signAt, command, expected) => {
    if (signAt) await allSign(signAt);
    await refused(SECRETARY, command, expected);
  });

  test('refuses anyone but the secretary', async () => {
    await allSign('2027-01-28T10:00:00+01:00');
    await refused(CHAIR, 'anslaget 2027-01-28', 'Det kan bara sekreteraren göra, och du är ordförande.');
  });
});

describe('påminnelser', () => {
  test('the secretary sees what goes out, when, to whom and why', async () => {
    await h.text(SECRETARY, `justering ${MEETING} ${AMIRA} ${JOHAN} senast 2027-02-01`);
    h.clock.set('2027-01-25T07:00:00+01:00');
    const answer = await h.text(SECRETARY, 'påminnelser');
    expect(answer).toContain('Påminnelser i Kultur- och fritidsnämnden de närmaste 14 dagarna:');
    expect(answer).toContain('torsdag den 28 januari 2027 kl. 8.00: justering, sammanträdet 2027-01-21 (två arbetsdagar före sista dagen för justering) till Amira Haddad (S), ledamot, Johan Sjöberg (SD), ledamot och Karin Lundqvist (S), ordförande');
    expect(answer).toContain('tisdag den 2 februari 2027 kl. 8.00: försenad justering');
    expect(answer).toContain('tre arbetsdagar före handläggarnas sista dag) till Fatima Rahimi, handläggare, Jonas Björklund, handläggare och Ulrika Strand, handläggare');
    // Never sent (no scheduler ran in this test) and now past the meeting: listed as to be dropped.
    expect(answer).toContain('Stryks: sista dagen har passerat\n  • fredag den 15 januari 2027 kl. 8.00: kallelse till ledamöterna, sammanträdet 2027-01-21 (kallelsen har gått ut) till 14 personer');
  });

  test('refused for members', async () => {
    await refused(AMIRA, 'påminnelser', 'Det kan bara sekreteraren göra');
  });
});

test('hjälp lists the new commands for the secretary, and justerat for members', async () => {
  const forSecretary = await h.text(SECRETARY, 'hjälp');
  for (const usage of ['justering [möte] <justerare …>', 'justerat [möte]', 'anslaget <datum> [möte]', 'påminnelser']) expect(forSecretary).toContain(usage);
  const forMember = await h.text(AMIRA, 'hjälp');
  expect(forMember).toContain('justerat [möte]');
  expect(forMember).not.toContain('anslaget <datum>');
});
