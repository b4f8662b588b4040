import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  ConfigError,
  formatPath,
  listCommitteeFiles,
  loadCommitteeDir,
  loadCommitteeFile,
  loadCommittees,
  parseCommittee,
  type ConfigProblem,
} from '../../src/config/committee-file';
import { committeeSchema, ELECTED_ROLES, type Committee } from '../../src/domain/committee';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'kfn.yaml');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'committees');
const MINI = path.join(FIXTURES, 'mini.yaml');
const BROKEN = path.join(FIXTURES, 'broken');
const broken = (name: string) => path.join(BROKEN, name);

/** The ConfigError a promise rejects with; fails the test if it resolves or throws something else. */
async function configError(p: Promise<unknown>): Promise<ConfigError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, but loading succeeded');
}

function syncConfigError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, but parsing succeeded');
}

/** The whole message as the secretary sees it. */
function message(...problemLines: string[]): string {
  const subject = new Set(problemLines.map((l) => l.split(',')[0])).size > 1 ? 'Nämndfilerna' : 'Nämndfilen';
  return [`${subject} har ${problemLines.length} fel:`, ...problemLines.map((l) => `- ${l}`), 'Rätta felen och försök igen.'].join('\n');
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'namndbot-config-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('examples/kfn.yaml', () => {
  let kfn: Committee;
  beforeAll(async () => {
    kfn = await loadCommitteeFile(EXAMPLE);
  });

  it('is Kultur- och fritidsnämnden', () => {
    expect(kfn.id).toBe('kfn');
    expect(kfn.shortName).toBe('KFN');
    expect(kfn.name).toBe('Kultur- och fritidsnämnden');
    expect(kfn.settings).toEqual({
      ovrigaFragorCutoffHours: 48,
      kallelseDaysBefore: 7,
      informationItems: 'first',
      justerareRotation: [],
      ersattareOrder: {
        S: ['nils.holmgren', 'elin.hedlund'],
        V: ['elin.hedlund', 'nils.holmgren'],
        M: ['ingrid.dahl', 'anders.nystrom'],
        C: ['anders.nystrom', 'ingrid.dahl'],
        KD: ['anders.nystrom', 'ingrid.dahl'],
        SD: ['robin.lindgren'],
      },
      ersattareAnswerHours: 24,
    });
  });

  it('has a full board: ordförande, vice ordförande, ledamöter, ersättare, a secretary and handläggare', () => {
    const withRole = (role: string) => kfn.members.filter((m) => m.role === role);
    expect(withRole('ordförande')).toHaveLength(1);
    expect(withRole('vice ordförande')).toHaveLength(1);
    const ledamoter = kfn.members.filter((m) => ['ordförande', 'vice ordförande', 'ledamot'].includes(m.role));
    expect(ledamoter.length).toBeGreaterThanOrEqual(9);
    expect(withRole('ersättare').length).toBeGreaterThanOrEqual(5);
    expect(withRole('sekreterare')).toHaveLength(1);
    expect(withRole('handläggare').length).toBeGreaterThanOrEqual(2);
    expect(withRole('handläggare').length).toBeLessThanOrEqual(3);
  });

  it('gives every politician a party and every member a console identity equal to the id', () => {
    for (const m of kfn.members) {
      expect(m.identities.console).toBe(m.id);
      if (ELECTED_ROLES.includes(m.role)) expect(['S', 'M', 'SD', 'C', 'V', 'KD', 'L', 'MP']).toContain(m.party);
      else expect(m.party).toBeUndefined();
      for (const s of m.identities.slack) expect(s).toMatch(/^U0[A-Z0-9]{8,}$/);
      for (const t of m.identities.teams) expect(t).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const secretary = kfn.members.find((m) => m.role === 'sekreterare')!;
    expect(secretary.identities.slack).toHaveLength(1);
    expect(secretary.identities.teams).toHaveLength(1);
  });

  it('has one held and two upcoming meetings with at least 8 ärenden each', () => {
    expect(kfn.meetings.map((m) => m.date)).toEqual(['2026-11-12', '2027-01-21', '2027-02-18']);
    const upcoming = kfn.meetings.filter((m) => m.date > '2026-11-12');
    expect(upcoming).toHaveLength(2);
    for (const meeting of upcoming) {
      expect(meeting.items.length).toBeGreaterThanOrEqual(8);
      expect(meeting.items.length).toBeLessThanOrEqual(10);
      expect(meeting.items.filter((i) => i.sekretess).length).toBeGreaterThanOrEqual(1);
      expect(meeting.items.some((i) => i.kind === 'information')).toBe(true);
      for (const item of meeting.items) {
        expect(item.lopnummer).toMatch(/^\d{1,2}\/27$/);
        if (item.diarienummer !== undefined) expect(item.diarienummer).toMatch(/^KFN 20\d{2}\/\d{5}$/);
      }
    }
  });

  it('refers only to handläggare who are officers in the member list', () => {
    const officers = new Set(kfn.members.filter((m) => m.role === 'handläggare').map((m) => m.id));
    for (const item of kfn.meetings.flatMap((m) => m.items)) {
      if (item.handlaggare !== undefined) expect(officers).toContain(item.handlaggare);
    }
  });

  it('leaves exactly one ärende without förslag till beslut and one without handläggare in the first upcoming meeting', () => {
    const first = kfn.meetings.find((m) => m.date === '2027-01-21')!;
    expect(first.items.filter((i) => i.forslagTillBeslut === undefined).map((i) => i.lopnummer)).toEqual(['7/27']);
    expect(first.items.filter((i) => i.handlaggare === undefined).map((i) => i.lopnummer)).toEqual(['6/27']);
    const second = kfn.meetings.find((m) => m.date === '2027-02-18')!;
    expect(second.items.every((i) => i.forslagTillBeslut !== undefined && i.handlaggare !== undefined)).toBe(true);
  });

  it('loads the same committee from JSON', async () => {
    const json = path.join(tmp, 'kfn.json');
    await writeFile(json, JSON.stringify(parseYaml(await readFile(EXAMPLE, 'utf8')), null, 2));
    expect(await loadCommitteeFile(json)).toEqual(kfn);
  });

  it('is loaded read-only and compact: what the schema gives, frozen throughout, one shared empty list', async () => {
    const schemaOutput = committeeSchema.parse(parseYaml(await readFile(EXAMPLE, 'utf8')));
    expect(kfn).toEqual(schemaOutput);
    const unfrozen: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (v === null || typeof v !== 'object') return;
      if (!Object.isFrozen(v)) unfrozen.push(at);
      for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    };
    walk(kfn, 'kfn');
    expect(unfrozen).toEqual([]);
    expect(() => (kfn.members as unknown[]).push({})).toThrow(TypeError);
    const empties = new Set<unknown>();
    for (const m of kfn.members) for (const list of [m.identities.slack, m.identities.teams]) if (list.length === 0) empties.add(list);
    for (const meeting of kfn.meetings) for (const item of meeting.items) if (item.beslutsunderlag.length === 0) empties.add(item.beslutsunderlag);
    expect(empties.size).toBe(1);
  });

  it('points a problem deep inside the file at its own line', async () => {
    const text = await readFile(EXAMPLE, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('lopnummer: 14/27')) + 1;
    expect(line).toBeGreaterThan(300);
    const err = syncConfigError(() => parseCommittee(text.replace('lopnummer: 14/27', 'lopnummer: 14/2027b'), 'kfn.yaml'));
    expect(err.problems).toEqual([
      { file: 'kfn.yaml', line, path: 'meetings[2].items[3].lopnummer', message: 'skriv löpnumret som 5 eller 5/25' },
    ]);
  });
});

describe('test/fixtures/committees/mini.yaml', () => {
  it('is a small committee with one meeting and one sekretess ärende', async () => {
    const mini = await loadCommitteeFile(MINI);
    expect(mini.members.map((m) => m.role)).toEqual(['ordförande', 'ledamot', 'sekreterare', 'handläggare']);
    expect(mini.meetings).toHaveLength(1);
    const [meeting] = mini.meetings;
    expect(meeting!.date).toBe('2027-03-10');
    expect(meeting!.items.map((i) => [i.lopnummer, i.kind, i.sekretess])).toEqual([
      ['1/27', 'information', false],
      ['2/27', 'beslut', false],
      ['3/27', 'beslut', true],
    ]);
  });
});

describe('a broken committee file', () => {
  it('that does not exist', async () => {
    const file = path.join(FIXTURES, 'finns-inte.yaml');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(message(`${file}: filen finns inte – kontrollera sökvägen och filnamnet`));
    expect(err.name).toBe('ConfigError');
    expect(err.problems).toEqual([{ file, message: 'filen finns inte – kontrollera sökvägen och filnamnet' }]);
  });

  it('that cannot be read (a directory named like a file)', async () => {
    const dir = path.join(tmp, 'mapp.yaml');
    await mkdir(dir, { recursive: true });
    const err = await configError(loadCommitteeFile(dir));
    expect(err.message).toBe(message(`${dir}: sökvägen är en mapp, inte en fil – ange nämndfilen (.yaml, .yml eller .json)`));
  });

  it('with an extension that is not YAML or JSON', async () => {
    const err = await configError(loadCommitteeFile('nämnd.txt'));
    expect(err.message).toBe(message('nämnd.txt: okänd filtyp – en nämndfil ska sluta på .yaml, .yml eller .json'));
  });

  it('saved in Latin-1 instead of UTF-8', async () => {
    const file = path.join(tmp, 'latin1.yaml');
    await writeFile(file, Buffer.from('id: kfn\nname: Kultur- och fritidsnämnden\n', 'latin1'));
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(message(`${file}: filen är inte sparad som UTF-8, så å, ä och ö blir fel – spara om den med teckenkodning UTF-8`));
  });

  it('larger than 1 MB is refused before it is read, saying the size and what to do', async () => {
    const file = path.join(tmp, 'enorm.yaml');
    await writeFile(file, `id: kfn\n# ${'x'.repeat(1536 * 1024)}\n`);
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(message(`${file}: filen är 1,5 MB, och en nämndfil får vara högst 1 MB – kontrollera att det är rätt fil, och lägg varje nämnd i en egen fil`));
  });

  it('with 160,000 errors lists the first hundred and counts the rest (it ran out of stack)', async () => {
    const file = path.join(tmp, 'tusentals.yaml');
    await writeFile(file, `id: x\nname: X\nshortName: X\nmeetings: []\nmembers:\n${'- {}\n'.repeat(40_000)}`);
    const err = await configError(loadCommittees([file]));
    expect(err.total).toBe(159_999);
    expect(err.problems).toHaveLength(101);
    expect(err.problems[0]).toEqual({ file, line: 6, path: 'members[0].id', message: 'nyckeln "id" saknas – lägg till den (förväntade text)' });
    expect(err.problems[100]).toEqual({ file, message: '159\u00a0899 fel till visas inte – rätta de första, oftast samma misstag upprepat, och kontrollera filen igen' });
    expect(err.message.split('\n')[0]).toBe('Nämndfilen har 159\u00a0999 fel:');
  }, 60_000);

  it('with a byte order mark loads like one without', async () => {
    const file = path.join(tmp, 'bom.json');
    const text = JSON.stringify(parseYaml(await readFile(MINI, 'utf8')));
    await writeFile(file, `\ufeff${text}`);
    expect((await loadCommitteeFile(file)).id).toBe('mini');
  });

  it('with an unclosed quote: the line where the text begins', async () => {
    const file = broken('syntax-quote.yaml');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(
      message(`${file}, rad 6: ett avslutande citattecken saknas – texten som börjar här ska sluta med samma citattecken som den börjar med`),
    );
  });

  it('with a line indented wrongly', async () => {
    const file = broken('syntax-indent.yaml');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(
      message(`${file}, rad 7: fel indrag – rader på samma nivå ska vara indragna med lika många mellanslag, och en ny post i en lista börjar med "- "`),
    );
  });

  it('with a key written twice in one member', async () => {
    const file = broken('duplicate-key.yaml');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(message(`${file}, rad 8: nyckeln "name" finns två gånger i samma objekt – ta bort eller byt namn på den ena`));
  });

  it('that is empty (only a comment)', async () => {
    const file = broken('empty.yaml');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(
      message(`${file}: filen är tom – den ska innehålla en nämnd med nycklarna id, name, shortName, members och meetings på översta nivån`),
    );
  });

  it('that holds a list instead of a committee', async () => {
    const file = broken('list.yaml');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(
      message(
        `${file}, rad 1: filen innehåller en lista, inte en nämnd – den ska innehålla en nämnd med nycklarna id, name, shortName, members och meetings på översta nivån`,
      ),
    );
  });

  it('with many schema errors: all of them, in file order, in Swedish, with lines and paths', async () => {
    const file = broken('schema-errors.yaml');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(
      message(
        `${file}, rad 1, id: använd bara a–z, 0–9, punkt, bindestreck och understreck (inga å, ä, ö)`,
        `${file}, rad 5, settings.kallelseDaysBefore: förväntade tal, fick text ("sju") – skriv bara siffror, utan citattecken`,
        `${file}, rad 6, settings.informationItems: välj en av: first, last, asListed (fick text ("sist"))`,
        `${file}, rad 12, members[1].name: förväntade text, fick ett tomt värde – skriv ett värde efter kolonet`,
        `${file}, rad 13, members[1].role: välj en av: ordförande, vice ordförande, ledamot, ersättare, sekreterare, handläggare`,
        `${file}, rad 15, members[2].name: nyckeln "name" saknas – lägg till den (förväntade text)`,
        `${file}, rad 18, members[2].identities.slack: förväntade en lista, fick text ("U0PIA") – skriv varje värde på en egen rad som börjar med "- "`,
        `${file}, rad 21, meetings[0].date: datumet finns inte i kalendern`,
        `${file}, rad 25, meetings[0].items[0].title: nyckeln "title" saknas – lägg till den (förväntade text)`,
        `${file}, rad 26, meetings[0].items[0].titel: okänd nyckel "titel" – menade du "title"?`,
        `${file}, rad 27, meetings[0].items[1].lopnummer: förväntade text, fick tal (2) – sätt värdet inom citattecken: "2"`,
        `${file}, rad 29, meetings[0].items[1].sekretess: förväntade true eller false, fick text ("ja") – skriv true eller false`,
        `${file}, rad 30, meetings[0].items[1]["färg"]: okänd nyckel "färg" – ta bort den eller rätta stavningen (tillåtna här: lopnummer, title, diarienummer, handlaggare, foredragande, ersatter, kind, beslutsunderlag, forslagTillBeslut, sekretess, parties, myndighetsutovning)`,
      ),
    );
    expect(err.problems.every((p: ConfigProblem) => p.file === file)).toBe(true);
  });

  it('with duplicate ids, löpnummer and an unknown handläggare', async () => {
    const file = broken('duplicates.yaml');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(
      message(
        `${file}, rad 12, members[2].id: id "olle" finns redan`,
        `${file}, rad 24, meetings[0].items[0].handlaggare: handläggaren "kalle" finns varken bland tjanstepersoner eller members – lägg till personen under tjanstepersoner (id, name, befattning)`,
        `${file}, rad 25, meetings[0].items[1].lopnummer: löpnummer 1/27 finns redan på mötet`,
        `${file}, rad 27, meetings[1].id: id "m1" finns redan`,
      ),
    );
  });

  it('in JSON with a trailing comma: the line of the comma', async () => {
    const file = broken('trailing-comma.json');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(message(`${file}, rad 6: ogiltig JSON: ett kommatecken för mycket före ] – ta bort kommatecknet efter det sista värdet`));
  });

  it('in JSON with schema errors: lines found in the JSON text', async () => {
    const file = broken('schema.json');
    const err = await configError(loadCommitteeFile(file));
    expect(err.message).toBe(
      message(
        `${file}, rad 7, members[1].party: förväntade text, fick tal (7) – sätt värdet inom citattecken: "7"`,
        `${file}, rad 15, meetings[0].items[0].lopnummer: förväntade text, fick tal (12) – sätt värdet inom citattecken: "12"`,
      ),
    );
  });
});

describe('parseCommittee', () => {
  it('reports JSON keys written twice, which JSON.parse would silently drop', () => {
    const text = '{\n  "id": "a",\n  "name": "A",\n  "id": "b"\n}\n';
    const err = syncConfigError(() => parseCommittee(text, 'a.json'));
    expect(err.message).toBe(message('a.json, rad 4: nyckeln "id" finns två gånger i samma objekt – ta bort eller byt namn på den ena'));
  });

  it('reports a JSON comma missing on the line that lacks it', () => {
    const err = syncConfigError(() => parseCommittee('{\n  "id": "a"\n  "name": "A"\n}\n', 'a.json'));
    expect(err.message).toBe(message('a.json, rad 2: ogiltig JSON: kommatecken saknas efter värdet (eller en } saknas)'));
  });

  it('reports a YAML alias without an anchor', () => {
    const err = syncConfigError(() => parseCommittee('id: a\nname: *saknas\n', 'a.yaml'));
    expect(err.message).toBe(message('a.yaml: en referens (*namn) kan inte lösas upp – kontrollera att ankaret (&namn) finns före referensen'));
  });

  it('reports a value with ": " in it that needs quotes', () => {
    const err = syncConfigError(() => parseCommittee('id: a\nname: Nämnden: kultur\n', 'a.yaml'));
    expect(err.message).toBe(
      message('a.yaml, rad 2: raden kan inte läsas som "nyckel: värde" – kontrollera indraget på raden och raden under, och sätt citattecken runt värden som innehåller ": "'),
    );
  });

  it('says a mis-indented key once, although the YAML parser trips twice on it', () => {
    const err = syncConfigError(() => parseCommittee('id: a\nname: A\n  shortName: A\n', 'a.yaml'));
    expect(err.message).toBe(
      message('a.yaml, rad 2: raden kan inte läsas som "nyckel: värde" – kontrollera indraget på raden och raden under, och sätt citattecken runt värden som innehåller ": "'),
    );
  });

  it('reports an empty text as an empty file', () => {
    const err = syncConfigError(() => parseCommittee('  \n', 'tom.json'));
    expect(err.problems).toEqual([
      { file: 'tom.json', message: 'filen är tom – den ska innehålla en nämnd med nycklarna id, name, shortName, members och meetings på översta nivån' },
    ]);
  });

  it('says a secretary is missing and members may not be empty', () => {
    const err = syncConfigError(() => parseCommittee('id: a\nname: A\nshortName: A\nmembers: []\n', 'a.yaml'));
    expect(err.message).toBe(
      message('a.yaml, rad 4, members: nämnden måste ha minst en ledamot', 'a.yaml, rad 4, members: nämnden saknar en sekreterare (role: sekreterare)'),
    );
  });

  it('lists problems in the order of the file, not of the schema', () => {
    const text = ['members:', '  - id: s', '    name: S', '    role: chef', 'shortName: A', 'name: A', 'id: A'].join('\n');
    const err = syncConfigError(() => parseCommittee(text, 'a.yaml'));
    expect(err.problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'members[0].role'],
      [7, 'id'],
    ]);
  });

  it('cuts long values in messages', () => {
    const long = 'x'.repeat(200);
    const err = syncConfigError(() => parseCommittee(`id: a\nname: A\nshortName: A\nsettings:\n  kallelseDaysBefore: "${long}"\nmembers: []\n`, 'a.yaml'));
    expect(err.problems[0]!.message).toBe(`förväntade tal, fick text ("${'x'.repeat(37)}…") – skriv bara siffror, utan citattecken`);
  });
});

describe('loadCommittees', () => {
  it('loads several committees', async () => {
    const committees = await loadCommittees([EXAMPLE, MINI]);
    expect(committees.map((c) => c.id)).toEqual(['kfn', 'mini']);
  });

  it('rejects two committees with the same id or shortName (shortName ignoring case)', async () => {
    const clash = broken('same-id.yaml');
    const err = await configError(loadCommittees([MINI, clash]));
    expect(err.message).toBe(
      message(
        `${clash}, rad 2, id: id "mini" används redan av nämnden i ${MINI} – varje nämnd behöver ett eget id`,
        `${clash}, rad 4, shortName: kortnamnet "tn" används redan av nämnden i ${MINI} – välj ett annat shortName`,
      ),
    );
  });

  it('is all-or-nothing: one error lists the problems of every bad file, and nothing loads', async () => {
    const err = await configError(loadCommittees([EXAMPLE, broken('list.yaml'), broken('syntax-quote.yaml'), MINI]));
    expect(err.message.split('\n')[0]).toBe('Nämndfilerna har 2 fel:');
    expect(err.problems.map((p) => [path.basename(p.file), p.line])).toEqual([
      ['list.yaml', 1],
      ['syntax-quote.yaml', 6],
    ]);
  });

  it('loads a folder of more files than the process may have open at once', async () => {
    // Thousands of committee files are read a few at a time: all at once, a server's usual limit
    // on open files (1,024) made some of them unreadable ("EMFILE") and the bot would not start.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'namndbot-many-'));
    try {
      const mini = await readFile(MINI, 'utf8');
      const count = 300;
      for (let i = 0; i < count; i++) {
        await writeFile(path.join(dir, `n${String(i).padStart(3, '0')}.yaml`), mini.replace(/^id: mini$/m, `id: n${i}`).replace(/^shortName: TN$/m, `shortName: N${i}`));
      }
      const script = path.join(dir, 'load.ts');
      await writeFile(
        script,
        `const { loadCommitteeDir } = require(${JSON.stringify(path.join(ROOT, 'src', 'config', 'committee-file'))});\n` +
          `loadCommitteeDir(${JSON.stringify(dir)}).then((c) => console.log('loaded', c.length), (e) => console.log(String(e.message).split('\\n').slice(0, 3).join(' | ')));\n`,
      );
      // 64 open files: the program and its loader take some; far fewer than the 300 files.
      const run = spawnSync('bash', ['-c', 'ulimit -n 64 && exec "$0" --import tsx "$1"', process.execPath, script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe(`loaded ${count}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('rejects the same file given twice', async () => {
    const err = await configError(loadCommittees([MINI, MINI]));
    expect(err.message).toBe(message(`${MINI}: samma fil anges två gånger (också som ${MINI}) – ta bort den ena`));
  });

  it('rejects an empty list', async () => {
    const err = await configError(loadCommittees([]));
    expect(err.message).toBe(message('(inga filer): inga nämndfiler angavs – ange minst en .yaml-, .yml- eller .json-fil'));
  });
});

describe('listCommitteeFiles and loadCommitteeDir', () => {
  it('lists *.yaml, *.yml and *.json sorted, skipping hidden files, other files and directories', async () => {
    const dir = path.join(tmp, 'list');
    await mkdir(path.join(dir, 'undermapp.yaml'), { recursive: true });
    for (const name of ['b.yml', 'a.json', 'c.yaml', 'D.YAML', '.#c.yaml', 'notes.txt', 'c.yaml~']) await writeFile(path.join(dir, name), '');
    expect(await listCommitteeFiles(dir)).toEqual(['D.YAML', 'a.json', 'b.yml', 'c.yaml'].map((n) => path.join(dir, n)));
  });

  it('lists the fixtures directory', async () => {
    expect(await listCommitteeFiles(FIXTURES)).toEqual([MINI]);
  });

  it('names a missing directory', async () => {
    const dir = path.join(tmp, 'finns-inte');
    const err = await configError(listCommitteeFiles(dir));
    expect(err.message).toBe(message(`${dir}: mappen med nämndfiler finns inte – kontrollera sökvägen`));
  });

  it('refuses an empty directory', async () => {
    const dir = path.join(tmp, 'tom');
    await mkdir(dir, { recursive: true });
    const err = await configError(loadCommitteeDir(dir));
    expect(err.message).toBe(message(`${dir}: mappen innehåller inga nämndfiler – lägg till en .yaml-, .yml- eller .json-fil`));
  });

  it('refuses a directory where any file is bad, listing every file with a problem', async () => {
    const err = await configError(loadCommitteeDir(BROKEN));
    const files = new Set(err.problems.map((p) => path.basename(p.file)));
    // Every broken fixture is reported; same-id.yaml is valid on its own and absent.
    expect([...files].sort()).toEqual([
      'duplicate-key.yaml',
      'duplicates.yaml',
      'empty.yaml',
      'list.yaml',
      'schema-errors.yaml',
      'schema.json',
      'syntax-indent.yaml',
      'syntax-quote.yaml',
      'trailing-comma.json',
    ]);
  });
});

describe('formatPath', () => {
  it('writes zod paths the way the brief and the messages do', () => {
    expect(formatPath(['meetings', 1, 'items', 3, 'lopnummer'])).toBe('meetings[1].items[3].lopnummer');
    expect(formatPath([])).toBe('');
    expect(formatPath(['settings', 'två ord'])).toBe('settings["två ord"]');
  });
});
