/**
 * What a new secretary hits first (issue 19.8–19.12): justering mistakes, övriga frågor and
 * agenda versions, the secretary's help, and Swedish a native reader does not stop at.
 */
import { count, genitive, labelGenitive, joinSv } from '../../src/domain/text';
import { overklagandeLastDay } from '../../src/domain/deadlines';
import { makeHarness, type Harness } from '../support/harness';

const AMIRA = 'amira.haddad'; // ledamot (S)
const JOHAN = 'johan.sjoberg'; // ledamot (SD)
const CHAIR = 'karin.lundqvist'; // ordförande (S)
const SECRETARY = 'maria.ekstrom';

let h: Harness;
afterEach(async () => h?.close());

describe('justering mistakes are pointed out (issue 19.8)', () => {
  beforeEach(async () => {
    h = await makeHarness({ now: '2027-01-29T09:00:00+01:00' });
  });

  test('a last day already past is refused, and nothing is recorded', async () => {
    const answer = await h.text(SECRETARY, `justering 2027-01-21 ${AMIRA} ${JOHAN} senast 2027-01-25`);
    expect(answer).toContain('Måndag den 25 januari 2027 har redan passerat, så ingen kan påminnas om den.');
    expect(answer).toContain('från och med i dag, fredag den 29 januari 2027 och senast torsdag den 4 februari 2027');
    expect(await h.eventCount()).toBe(0);
  });

  test('"klart" without a date is not taken as a new list of justerare', async () => {
    await h.text(SECRETARY, `justering 2027-01-21 ${AMIRA} ${JOHAN} senast 2027-02-01`);
    const before = await h.eventCount();
    const answer = await h.text(SECRETARY, `justering 2027-01-21 ${AMIRA} klart`);
    expect(answer).toContain('"klart" ska följas av dagen då protokollet är klart för justering');
    expect(answer).toContain(`justerat 2027-01-21 ${AMIRA}`);
    expect(await h.eventCount()).toBe(before);
  });

  test('a justerare taken off the list is named', async () => {
    await h.text(SECRETARY, `justering 2027-01-21 ${AMIRA} ${JOHAN} senast 2027-02-01`);
    const answer = await h.text(SECRETARY, `justering 2027-01-21 ${AMIRA}`);
    expect(answer).toContain('Johan Sjöberg (SD) är inte längre justerare och får inga fler påminnelser.');
  });

  test('all justerat after the legal limit is pointed out', async () => {
    await h.text(SECRETARY, `justering 2027-01-21 ${AMIRA} ${JOHAN} senast 2027-02-04`);
    h.clock.set(new Date('2027-02-08T10:00:00+01:00'));
    await h.text(AMIRA, 'justerat 2027-01-21');
    await h.text(JOHAN, 'justerat 2027-01-21');
    const last = await h.text(CHAIR, 'justerat 2027-01-21');
    expect(last).toContain('Nu har alla justerat.');
    expect(last).toContain('Obs! Protokollet justerades efter lagens gräns, torsdag den 4 februari 2027');
  });
});

describe('övriga frågor and agenda versions (issue 19.9, 19.11)', () => {
  beforeEach(async () => {
    h = await makeHarness();
  });

  test('approving a declined question says so', async () => {
    await h.text(AMIRA, 'övrig fråga Hur går arbetet med badhuset?');
    await h.text(SECRETARY, 'övrig fråga avslå F1 Frågan besvaras under ärende 2/27');
    const answer = await h.text(SECRETARY, 'övrig fråga godkänn F1');
    expect(answer).toContain('Fråga F1 är godkänd');
    expect(answer).toContain('Obs! Den var avslagen med skälet "Frågan besvaras under ärende 2/27"');
  });

  test('the same draft again records no new version', async () => {
    await h.say(SECRETARY, 'dagordning');
    const before = await h.eventCount();
    const again = await h.text(SECRETARY, 'dagordning');
    expect(again).toContain('Utkast 1 till kallelse och dagordning');
    expect(again).toContain('Inget har ändrats sedan version 1, så ingen ny version sparades.');
    expect(await h.eventCount()).toBe(before);
  });

  test('the draft says which övriga frågor wait for a decision', async () => {
    for (const q of ['Badhuset?', 'Biblioteket?', 'Sporthallen?']) await h.text(AMIRA, `övrig fråga ${q}`);
    const draft = await h.text(SECRETARY, 'dagordning');
    expect(draft).toContain('3 övriga frågor väntar på ditt beslut (F1, F2, F3)');
    const stored = (await h.store.readEvents('kfn', 0)).find((e) => e.type === 'agenda.drafted') as unknown as { agenda: { items: { key: string; lines: string[] }[] } };
    const anmalan = stored.agenda.items.find((i) => i.key === 'ovrigaFragorAnmalan');
    expect(anmalan?.lines).toEqual(['Inga övriga frågor är godkända än; 3 frågor väntar på sekreterarens beslut.']);
  });
});

describe('help and commands (issue 19.10, 19.12)', () => {
  beforeEach(async () => {
    h = await makeHarness();
  });

  test('the secretary’s help says what the members can do', async () => {
    const answer = await h.text(SECRETARY, 'hjälp');
    expect(answer).toMatch(/Vad ledamöterna kan: [^\n]*förhinder/);
    expect(answer).toMatch(/Vad ledamöterna kan: [^\n]*jäv/);
  });

  test.each([
    ['överig fråga Hur går det?', 'Menade du "övrig fråga"?'],
    ['jvä 3 part', 'Menade du "jäv"?'],
    ['dagordnig', 'Menade du "dagordning"?'],
  ])('a misspelt command gets a "menade du": %s', async (typed, suggestion) => {
    const answer = await h.text(SECRETARY, typed);
    expect(answer).toContain(suggestion);
    expect(await h.eventCount()).toBe(0);
  });

  test('nothing close gets no guess', async () => {
    expect(await h.text(SECRETARY, 'blargh')).not.toContain('Menade du');
  });

  test('a register is named in the genitive on the name, not after the party', async () => {
    await h.text(AMIRA, 'engagemang styrelse Sjöbacka Ridklubb');
    expect(await h.text(SECRETARY, `intressen ${AMIRA}`)).toContain('Amira Haddads (S) register (1 engagemang):');
  });

  test('a held meeting is "hållet", not "har redan börjat"', async () => {
    expect(await h.text(AMIRA, 'förhinder 2026-11-12')).toContain('Sammanträdet torsdag den 12 november 2026 är redan hållet');
  });

  test('attendance is "Närvaro vid sammanträdet"', async () => {
    expect(await h.text(SECRETARY, 'närvaro')).toContain('NÄRVARO VID SAMMANTRÄDET');
  });
});

describe('Swedish wording in one place (issue 19.12)', () => {
  test.each([
    [1, 'dag', 'dagar', '1 dag'],
    [3, 'dag', 'dagar', '3 dagar'],
    [0, 'fråga', 'frågor', '0 frågor'],
    [1, 'privat jävstips', 'privata jävstips', '1 privat jävstips'],
  ])('count(%i, %s)', (n, one, many, expected) => expect(count(n, one, many)).toBe(expected));

  test.each([
    ['Amira Haddad (S)', 'Amira Haddads (S)'],
    ['Anders Ros (M)', 'Anders Ros (M)'],
    ['Helena Sandberg', 'Helena Sandbergs'],
  ])('labelGenitive(%s)', (label, expected) => expect(labelGenitive(label)).toBe(expected));

  test('genitive and lists', () => {
    expect(genitive('Marx')).toBe('Marx');
    expect(joinSv(['a', 'b', 'c'])).toBe('a, b och c');
  });

  test('a weekend three weeks on is not named twice', () => {
    // Anslag saturday 2027-03-06: three weeks is saturday 2027-03-27.
    const o = overklagandeLastDay('2027-03-06');
    expect(o.explanation).toContain('Tre veckor blir lördag den 27 mars 2027; enligt lagen');
    expect(o.explanation).not.toContain('som är en lördag');
  });
});
