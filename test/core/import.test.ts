import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Place } from '../../src/core/incoming';
import type { Outgoing } from '../../src/core/outgoing';
import { committeeView } from '../../src/domain/meeting-records';
import { makeHarness, plain, type Harness } from '../support/harness';

const DIR = path.join(__dirname, '../fixtures/import');
const EMPTY = path.join(DIR, 'tu-tomt.yaml');
const SECRETARY = 'asa.linden';
const AMIRA = 'amira.haddad';
const NILS = 'nils.oja';

let n = 0;
function sendFile(h: Harness, name: string, bytes: Uint8Array, text?: string, place: Place = { kind: 'private' }): Promise<Outgoing[]> {
  return h.core.handle({ deliveryId: `file-${++n}`, platform: 'console', platformUserId: SECRETARY, place, input: { kind: 'file', name, bytes, ...(text ? { text } : {}) } });
}

async function fixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path.join(DIR, name)));
}

/** The agenda draft's model and its Markdown document, as the secretary gets them. */
async function draft(h: Harness): Promise<{ agenda: unknown; markdown: string }> {
  const replies = await h.say(SECRETARY, 'dagordning');
  const events = await h.store.readEvents(h.committee.id, 0);
  const drafted = events.filter((e) => e.type === 'agenda.drafted').at(-1);
  const md = replies.flatMap((r) => r.message.parts).find((p) => p.kind === 'file' && p.name.endsWith('.md'));
  if (!drafted || drafted.type !== 'agenda.drafted' || !md || md.kind !== 'file') throw new Error(`no draft: ${plain(replies)}`);
  return { agenda: drafted.agenda, markdown: new TextDecoder().decode(md.bytes) };
}

async function meetingNow(h: Harness) {
  const state = await h.core.log.state(h.committee.id);
  return committeeView(h.committee, state.meetingEdits).meetings.find((m) => m.id === 'tu-2027-02-11')!;
}

describe('an imported ärendelista builds the same meeting and agenda as the committee file', () => {
  const cases: [string, string, string][] = [
    ['Excel (.xlsx)', 'arenden.xlsx', 'tu-tabell.yaml'],
    ['CSV with semicolons in Windows-1252', 'arenden-1252.csv', 'tu-tabell.yaml'],
    ['CSV with commas in UTF-8 with BOM', 'arenden-utf8-bom.csv', 'tu-tabell.yaml'],
    ['the dagordning of a mötesbok as text', 'motesbok-dagordning.txt', 'tu-dagordning.yaml'],
  ];
  test.each(cases)('%s', async (_label, file, equivalent) => {
    const imported = await makeHarness({ file: EMPTY });
    const written = await makeHarness({ file: path.join(DIR, equivalent) });
    try {
      const preview = plain(await sendFile(imported, file, await fixture(file)));
      expect(preview).toContain(`Förhandsvisning av importen från ${file} till sammanträdet torsdag den 11 februari 2027: 8 ärenden. Inget är sparat ännu.`);
      expect(preview).toContain('Nya ärenden (8):');
      if (file !== 'motesbok-dagordning.txt') expect(preview).toContain('Kolumner jag inte känner igen och har hoppat över: Status.');
      // Nothing is recorded before the secretary confirms.
      expect(await imported.eventCount()).toBe(0);
      const saved = await imported.text(SECRETARY, 'import spara');
      expect(saved).toContain(`Importen från ${file} är sparad: sammanträdet torsdag den 11 februari 2027 har nu 8 ärenden.`);
      const events = await imported.store.readEvents(imported.committee.id, 0);
      expect(events.map((e) => [e.type, e.actor])).toEqual([['items.imported', { memberId: SECRETARY, via: 'console' }]]);

      expect(await meetingNow(imported)).toEqual(written.committee.meetings[0]);
      const a = await draft(imported);
      const b = await draft(written);
      expect(a.agenda).toEqual(b.agenda);
      expect(a.markdown).toBe(b.markdown);
    } finally {
      await imported.close();
      await written.close();
    }
  });

  test('pasted below "import", the dagordning is read the same way', async () => {
    const h = await makeHarness({ file: EMPTY });
    try {
      const text = new TextDecoder().decode(await fixture('motesbok-dagordning.txt'));
      const preview = await h.text(SECRETARY, `import\n${text}`);
      expect(preview).toContain('Förhandsvisning av importen från inklistrad text.txt');
      expect(preview).toContain('19/27 Nämndernas verksamhetsplaner ur tillgänglighetsperspektiv 2027');
      await h.text(SECRETARY, 'import spara');
      expect((await meetingNow(h)).items.map((i) => i.lopnummer)).toEqual(['14/27', '15/27', '16/27', '17/27', '18/27', '20/27', '19/27', '21/27']);
    } finally {
      await h.close();
    }
  });
});

describe('importing again', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness({ file: path.join(DIR, 'tu-tabell.yaml') });
  });
  afterEach(async () => h.close());

  const changed = [
    'Löpnummer;Rubrik;Dnr;Typ',
    '14/27;TU Tid för justering;KS-2027/00011;Beslut',
    '15/27;Uppföljning av utskottets handlingsplan helår 2026;KS-2026/00231;Information',
    '16/27;TU handlingsplan och budget för år 2027;KS-2027/00040;Beslut',
    '18/27;TU yttrande på motion 31/2026: Ledstråk i centrala staden;KS-2026/00402;Beslut',
    '19/27;Nämndernas verksamhetsplaner ur tillgänglighetsperspektiv 2027;KS-2027/00018;Information',
    '20/27;Återrapport från dialogmöte med funktionsrättsföreningar;KS-2027/00052;Information',
    '21/27;Ansökan om bidrag – enskild förening;KS-2027/00061;Beslut',
    '22/27;Medborgarförslag om taktila plattor vid busshållplatser;KS-2027/00070;Beslut',
  ].join('\n');

  test('shows added, removed, moved and retitled; keeps declarations; reports those on removed ärenden', async () => {
    expect(await h.text(AMIRA, 'jäv 17/27 part')).toContain('Jäv anmält i ärende 17/27');
    expect(await h.text(NILS, 'jäv 16/27 övrigt')).toContain('Jäv anmält i ärende 16/27');
    const before = await h.store.readEvents(h.committee.id, 0);

    const preview = plain(await sendFile(h, 'arenden-v2.csv', new TextEncoder().encode(changed)));
    expect(preview).toContain('Nya ärenden (1):\n  • 22/27 Medborgarförslag om taktila plattor vid busshållplatser');
    expect(preview).toContain('Tas bort (1):\n  • 17/27 TU yttrande över förslag till parkeringsnorm');
    expect(preview).toContain('16/27: ny rubrik "TU handlingsplan och budget för år 2027" (var "TU handlingsplan och budget 2027")');
    expect(preview).toMatch(/Flyttade i ordningen \(1\):\n {2}• (19|20)\/27/);
    expect(preview).toContain('Obs! Anmälningar på ärenden som tas bort (de står kvar i registret och i exporten):\n  • J1: Amira Haddad (V) har anmält jäv i 17/27');
    expect(await h.store.readEvents(h.committee.id, 0)).toEqual(before);

    const saved = await h.text(SECRETARY, 'import spara');
    expect(saved).toContain('Obs! Anmälningar på ärenden som togs bort');
    expect(saved).toContain('J1: Amira Haddad (V) har anmält jäv i 17/27');

    // Nothing recorded is lost: every earlier record is still there, and the import comes after.
    const after = await h.store.readEvents(h.committee.id, 0);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((e) => e.type)).toEqual(['items.imported']);
    const state = await h.core.log.state(h.committee.id);
    expect([...state.declarations.values()].map((d) => [d.id, d.lopnummer, d.withdrawnAt])).toEqual([
      ['J1', '17/27', undefined],
      ['J2', '16/27', undefined],
    ]);
    // The ärende kept its declaration on the agenda; details the file did not give are kept too.
    const meeting = await meetingNow(h);
    expect(meeting.items.find((i) => i.lopnummer === '16/27')).toMatchObject({ title: 'TU handlingsplan och budget för år 2027', handlaggare: 'orjan.kvist', forslagTillBeslut: 'Att godkänna handlingsplan och budget för 2027.' });
    expect(meeting.items.find((i) => i.lopnummer === '21/27')?.sekretess).toBe(true);
    const { markdown } = await draft(h);
    expect(markdown).toContain('Nils Oja (C)');
    expect(markdown).not.toContain('parkeringsnorm');
    // The declaration on the removed ärende stays in the member's list and the register.
    expect(await h.text(AMIRA, 'jäv lista')).toContain('J1');
  });

  test('the same list again changes nothing; a preview is replaced, cancelled, or refused once the meeting changed', async () => {
    const same = await h.text(SECRETARY, `import\n14/27 TU Tid för justering\n15/27 Uppföljning av utskottets handlingsplan helår 2026\n16/27 TU handlingsplan och budget 2027\n17/27 TU yttrande över förslag till parkeringsnorm\n18/27 TU yttrande på motion 31/2026: Ledstråk i centrala staden\n20/27 Återrapport från dialogmöte med funktionsrättsföreningar\n19/27 Nämndernas verksamhetsplaner ur tillgänglighetsperspektiv 2027\n21/27 Ansökan om bidrag – enskild förening`);
    expect(same).toContain('stämmer redan med sammanträdet torsdag den 11 februari 2027. Inget att ändra.');
    expect(await h.text(SECRETARY, 'import spara')).toContain('Det finns ingen import som väntar på att sparas.');

    await sendFile(h, 'v2.csv', new TextEncoder().encode(changed));
    expect(await h.text(SECRETARY, 'import avbryt')).toContain('Importen är avbruten. Inget har ändrats.');
    expect(await h.text(SECRETARY, 'import spara')).toContain('Det finns ingen import som väntar');

    await sendFile(h, 'v2.csv', new TextEncoder().encode(changed));
    await h.text(SECRETARY, 'ärende rubrik 14/27 Tid och plats för justering');
    const count = await h.eventCount();
    expect(await h.text(SECRETARY, 'import spara')).toContain('Ärendena på mötet har ändrats sedan förhandsvisningen. Skicka ärendelistan igen');
    expect(await h.eventCount()).toBe(count);
    expect(await h.eventCount()).toBe(1);
  });

  test('only the secretary imports, and never in a channel', async () => {
    expect(plain(await h.core.handle({ deliveryId: 'amira-file', platform: 'console', platformUserId: AMIRA, place: { kind: 'private' }, input: { kind: 'file', name: 'x.csv', bytes: new TextEncoder().encode(changed) } }))).toContain(
      'Det kan bara sekreteraren göra',
    );
    expect(plain(await sendFile(h, 'v2.csv', new TextEncoder().encode(changed), undefined, { kind: 'channel', channelId: 'C1' }))).toContain('Skicka ärendelistan till mig privat');
    expect(await h.eventCount()).toBe(0);
    expect(await h.text(SECRETARY, 'import spara')).toContain('Det finns ingen import som väntar');
  });
});

describe('a bad file gets a Swedish answer naming row and column, and changes nothing', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const junk = (size: number) => {
    const b = new Uint8Array(size);
    let x = 12345;
    for (let i = 0; i < size; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      b[i] = x & 0xff;
    }
    return b;
  };
  const zipNotExcel = () => {
    // A zip file (as .docx and others are) with no workbook in it.
    const b = new Uint8Array(64);
    b.set([0x50, 0x4b, 0x03, 0x04]);
    return b;
  };
  const cases: [string, string, () => Uint8Array | Promise<Uint8Array>, string][] = [
    ['an empty file', 'tom.csv', () => new Uint8Array(0), 'Filen är tom.'],
    ['10 MB of junk', 'skräp.csv', () => junk(10 * 1024 * 1024), 'Filen är 10,0 MB; en ärendelista får vara högst 2 MB.'],
    ['binary junk', 'skräp.csv', () => junk(2000), 'Filen är varken Excel, CSV eller text.'],
    ['a zip that is no workbook', 'lista.xlsx', zipNotExcel, 'Filen kunde inte läsas som en Excel-arbetsbok (.xlsx).'],
    ['old Excel', 'lista.xls', () => junk(512), 'Filen är i det gamla Excel-formatet (.xls).'],
    ['a Word document', 'tjänsteskrivelse.docx', zipNotExcel, 'Filen är ett dokument (Word eller PDF), inte en ärendelista.'],
    ['a PDF', 'mötesbok.pdf', () => utf8('%PDF-1.7\n...'), 'Filen är ett dokument (Word eller PDF)'],
    ['no recognisable columns', 'adresser.csv', () => utf8('Namn;Adress\nAnna;Storgatan 1\n'), 'Rad 1: jag hittar ingen kolumn Löpnummer (eller Ärendenummer) och Rubrik (eller Ärendemening).'],
    ['a duplicate löpnummer', 'lista.csv', () => utf8('Löpnummer;Rubrik\n14/27;Ett\n15/27;Två\n14/27;Tre\n'), 'Rad 4, kolumn Löpnummer: löpnummer 14/27 finns redan på rad 2.'],
    ['a löpnummer that is none', 'lista.csv', () => utf8('LÖPNUMMER;rubrik\nfjorton;Ett\n'), 'Rad 2, kolumn LÖPNUMMER: "fjorton" är inget löpnummer. Skriv det som 5/25.'],
    ['a missing title', 'lista.csv', () => utf8('Ärendenummer,Ärendemening\n14/27,\n'), 'Rad 2, kolumn Ärendemening: rubriken saknas.'],
    ['an unknown type', 'lista.csv', () => utf8('Löpnummer;Rubrik;Typ\n14/27;Ett;Beslut\n15/27;Två;Yttrande\n'), 'Rad 3, kolumn Typ: "Yttrande" är ingen ärendetyp. Skriv beslut eller information.'],
    ['an unreadable sekretess', 'lista.csv', () => utf8('Löpnummer;Rubrik;Sekretess\n14/27;Ett;kanske\n'), 'Rad 2, kolumn Sekretess: "kanske" går inte att läsa. Skriv ja eller nej.'],
    ['a quote never closed', 'lista.csv', () => utf8('Löpnummer;Rubrik\n14/27;"Ett\n15/27;Två\n'), 'CSV-filen går inte att läsa'],
    ['headings and no ärenden', 'lista.csv', () => utf8('Löpnummer;Rubrik\n;\n'), 'Filen har rubrikraden (rad 1) men inga ärenden under den.'],
    ['text without ärenden', 'dagordning.txt', () => utf8('Dagordning\n\nÄrenden\n\nInga ännu\n'), 'Jag hittar inga ärenden i texten.'],
    ['a dagordning naming a löpnummer twice', 'dagordning.txt', () => utf8('Ärenden\n14/27 Ett\t3\n14/27 Två\t5\n'), 'Rad 3, löpnummer 14/27: finns redan på rad 2.'],
    ['a meeting that does not exist', 'dagordning.txt', () => utf8('Datum: 2027-05-20\nÄrenden\n14/27 Ett\t3\n'), 'Det finns inget sammanträde 2027-05-20 inlagt.'],
  ];
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness({ file: path.join(DIR, 'tu-tabell.yaml') });
    await h.text(AMIRA, 'jäv 17/27 part');
  });
  afterAll(async () => h.close());

  test.each(cases)('%s', async (_label, name, bytes, answer) => {
    const before = await h.store.readEvents(h.committee.id, 0);
    const replies = await sendFile(h, name, await bytes());
    const text = plain(replies);
    expect(text).toContain(answer);
    expect(text).toMatch(/inget har ändrats/i);
    expect(await h.store.readEvents(h.committee.id, 0)).toEqual(before);
    expect(await h.store.getValue(`staged:import:${h.committee.id}:${SECRETARY}`)).toBeUndefined();
    expect(await h.text(SECRETARY, 'import spara')).toContain('Det finns ingen import som väntar');
  });
});

describe('people and new meetings', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness({ file: EMPTY });
  });
  afterEach(async () => h.close());

  test('Handläggare and Föredragande are matched by name to the tjänstepersoner and members; unknown names are told', async () => {
    const csv = 'Löpnummer;Rubrik;Handläggare;Föredragande\n30/27;Färdtjänstens regler;Örjan Kvist, tillgänglighetsstrateg och Okänd Person;Åsa Lindén, nämndsekreterare\n';
    const preview = plain(await sendFile(h, 'lista.csv', new TextEncoder().encode(csv)));
    expect(preview).toContain('Handläggare och föredragande som inte finns bland nämndfilens tjänstepersoner (namnen tas inte med; lägg till dem under tjanstepersoner): Okänd Person.');
    await h.text(SECRETARY, 'import spara');
    expect((await meetingNow(h)).items).toEqual([{ lopnummer: '30/27', title: 'Färdtjänstens regler', handlaggare: 'orjan.kvist', foredragande: 'asa.linden', kind: 'beslut', beslutsunderlag: [], sekretess: false }]);
  });

  test('a mötesbok naming a date and place not yet there adds the meeting with the import', async () => {
    const text = 'Datum: 2027-03-11\nPlats: Rådhuset, sal Eken\n\nÄrenden\n\n22/27 Information om färdtjänst\t3\n';
    const preview = plain(await sendFile(h, 'dagordning.txt', new TextEncoder().encode(text)));
    expect(preview).toContain('nytt sammanträde torsdag den 11 mars 2027');
    expect(await h.eventCount()).toBe(0);
    expect(await h.text(SECRETARY, 'import spara')).toContain('Importen från dagordning.txt är sparad');
    expect((await h.store.readEvents(h.committee.id, 0)).map((e) => e.type)).toEqual(['meeting.added', 'items.imported']);
    expect(await h.text(AMIRA, 'ärenden möte 2027-03-11')).toContain('22/27 Information om färdtjänst');
  });
});
