/**
 * `namndbot reminders --at` and `namndbot calendar` on the example committee, run as a newcomer
 * would, on the embedded store in a temporary data directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli as run } from '../support/cli';



let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'namndbot-reminders-'));
  env = { NAMNDBOT_DATA_DIR: dataDir };
  // The secretary records the justering the day after the meeting of 2027-01-21.
  const session = await run(
    ['start', '--as', 'maria.ekstrom', '--now', '2027-01-22T09:00:00+01:00'],
    'justering 2027-01-21 amira.haddad johan.sjoberg senast 2027-02-01\n',
    env,
  );
  expect(session.stdout).toContain('Justeringen av protokollet från sammanträdet torsdag den 21 januari 2027 är inlagd.');
}, 60_000);

describe('the calendar file, as outside parsers read it (issue 19.7, 19.11)', () => {
  let raw: string;
  let ics: string;
  beforeAll(async () => {
    const file = path.join(dataDir, 'ut', 'kfn-tolka.ics');
    const r = await run(['calendar', '--out', file, '--now', '2027-01-22T09:00:00+01:00'], '', env);
    expect(r.code).toBe(0);
    raw = await readFile(file, 'utf8');
    ics = raw.replace(/\r\n[ \t]/g, '');
  }, 60_000);

  const event = (uid: string) => ics.slice(ics.indexOf(`UID:${uid}`), ics.indexOf('END:VEVENT', ics.indexOf(`UID:${uid}`)));

  test('the överklagande date counts from the day the anslag event recommends', () => {
    // Justering thursday 2027-03-04; the anslag's last day is a saturday, so friday 03-05 is
    // recommended; three weeks from it is långfredagen, so the last day is monday 03-30.
    expect(event('kfn-kfn-2027-02-18-anslag@namndbot')).toContain('DTSTART;VALUE=DATE:20270305');
    const overklagande = event('kfn-kfn-2027-02-18-overklagande@namndbot');
    expect(overklagande).toContain('fredag den 5 mars 2027');
    expect(overklagande).toContain('DTSTART;VALUE=DATE:20270330');
  });

  test('every line is at most 75 octets, folded between characters, and unfolds to the text', () => {
    const lines = raw.split('\r\n');
    const long = lines.filter((l) => Buffer.byteLength(l, 'utf8') > 75);
    expect(long).toEqual([]);
    expect(raw).not.toContain('\uFFFD');
    expect(lines.some((l) => /[åäö]/.test(l) && l.startsWith(' '))).toBe(true);
    expect(ics).toContain('SUMMARY:KFN: sista dag för överklagande');
  });

  test('every event has a SEQUENCE, and a later file a higher one', async () => {
    const sequences = [...ics.matchAll(/^SEQUENCE:(\d+)$/gm)].map((m) => Number(m[1]));
    expect(sequences).toHaveLength((ics.match(/BEGIN:VEVENT/g) ?? []).length);
    const later = path.join(dataDir, 'ut', 'kfn-senare.ics');
    expect((await run(['calendar', '--out', later, '--now', '2027-01-22T10:00:00+01:00'], '', env)).code).toBe(0);
    const next = Number(/^SEQUENCE:(\d+)\r?$/m.exec(await readFile(later, 'utf8'))?.[1]);
    expect(next).toBeGreaterThan(sequences[0]);
  }, 60_000);

  test('PRODID is a formal public identifier', () => {
    expect(ics).toMatch(/^PRODID:-\/\/Namndbot\/\/[^/]+\/\/SV\r?$/m);
  });
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

const streamLines = async () => (await readFile(path.join(dataDir, 'streams', 'kfn.jsonl'), 'utf8')).trim().split('\n').length;

test('reminders --at without an offset is Swedish time (issue 19.6)', async () => {
  const r = await run(['reminders', '--at', '2027-01-28T08:30'], '', env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Påminnelser torsdag den 28 januari 2027 kl. 8.30 (förhandsvisning');
  expect(r.stdout).toContain('Skickas nu: 3');
});

test('reminders --at prints what would be sent then, to whom and why, and records nothing', async () => {
  const before = await streamLines();
  const r = await run(['reminders', '--at', '2027-01-28T08:30:00+01:00'], '', env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = r.stdout;
  expect(out).toContain('Påminnelser torsdag den 28 januari 2027 kl. 8.30 (förhandsvisning: inget skickas och inget sparas)');
  expect(out).toContain('Kultur- och fritidsnämnden (kfn)\n  Skickas nu: 3');
  expect(out).toContain('── till Amira Haddad (S), ledamot — justering: två arbetsdagar före sista dagen för justering');
  expect(out).toContain('id: kfn:kfn-2027-01-21:justering:amira.haddad:wd2@2027-02-01');
  expect(out).toContain('Påminnelse: justera protokollet från sammanträdet torsdag den 21 januari 2027 senast måndag den 1 februari 2027.');
  expect(out).toContain('── till Karin Lundqvist (S), ordförande — justering');
  expect(out).toContain('Som ordförande justerar du protokollet tillsammans med Amira Haddad (S) och Johan Sjöberg (SD).');
  expect(out).toContain('[Justerat] skriv: justerat 2027-01-21');
  expect(out).toContain('Nästa: måndag den 1 februari 2027 kl. 8.00, justering, tjänsteskrivelser till 6 personer.');
  expect(await streamLines()).toBe(before);
}, 60_000);

test('reminders --at on a Saturday: nothing goes out; past its last day: listed as dropped', async () => {
  const saturday = await run(['reminders', '--at', '2027-01-30T10:00:00+01:00'], '', env);
  expect(saturday.stdout).toContain('Inget skickas just nu.');
  const late = await run(['reminders', '--at', '2027-02-02T09:00:00+01:00', '--committee', 'KFN'], '', env);
  expect(late.stdout).toContain('Stryks och loggas, sista dagen har passerat: 3');
  expect(late.stdout).toContain('till Johan Sjöberg (SD), ledamot: justering (sista dagen för justering), sista dag 2027-02-01');
  expect(late.stdout).toContain('── till Maria Ekström, sekreterare — försenad justering: justeringen är försenad');
}, 60_000);

test('reminders --at with a time that is not one, or an unknown committee', async () => {
  const bad = await run(['reminders', '--at', 'imorgon'], '', env);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('"imorgon" är ingen tidpunkt. Skriv till exempel --at 2027-02-02T08:00:00+01:00');
  const unknown = await run(['reminders', '--committee', 'bygg'], '', env);
  expect(unknown.code).toBe(2);
  expect(unknown.stdout).toContain('Det finns ingen nämnd "bygg". Nämnder: kfn.');
}, 60_000);

test('calendar writes the meetings and deadlines as ICS, with the recorded justering date', async () => {
  const file = path.join(dataDir, 'ut', 'kfn.ics');
  const r = await run(['calendar', '--out', file], '', env);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Kultur- och fritidsnämnden: 21 händelser (3 sammanträden med frister)');
  const ics = (await readFile(file, 'utf8')).replace(/\r?\n[ \t]/g, '');
  expect(ics).toMatch(/^BEGIN:VCALENDAR/);
  expect(ics).toContain('X-WR-CALNAME:Kultur- och fritidsnämnden');
  // The meeting at 13.00 Stockholm time (12.00 UTC in winter), 13–16.
  expect(ics).toContain('UID:kfn-kfn-2027-01-21-sammantrade@namndbot');
  expect(ics).toContain('DTSTART:20270121T120000Z');
  expect(ics).toContain('DTEND:20270121T150000Z');
  // The justering date the secretary recorded, not the legal limit.
  expect(ics).toMatch(/UID:kfn-kfn-2027-01-21-justering@namndbot\r?\nSUMMARY:KFN: sista dag för justering\r?\nDTSTAMP:\w+\r?\nDTSTART;VALUE=DATE:20270201/);
  for (const title of ['sista dag för kallelsen', 'sista dag för tjänsteskrivelser', 'sista tid för övriga frågor', 'sista dag för anslag', 'sista dag för överklagande']) {
    expect(ics).toContain(`SUMMARY:KFN: ${title}`);
  }
}, 60_000);
