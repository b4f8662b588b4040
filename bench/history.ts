/**
 * Years of history in one committee: the first command after a start, with 100,000 and with
 * 200,000 records in the committee's stream on the embedded file store.
 *
 * The records are what a committee's meetings leave behind, meeting after meeting: jäv declared
 * and some withdrawn, övriga frågor and the secretary's decisions on them, förhinder and the
 * ersättare asked, two agenda drafts (the real draft, made once by the core), justering,
 * signatures, the anslag, and the reminders sent for it. They are written first, by this process.
 * A process of its own (a restarted bot, compiled and with npm start's Node options except its heap limit, as a start runs it) then opens the data folder and answers one command,
 * an övrig fråga that is recorded: the time to open the store and the time of that first command
 * are measured there. The two sizes alternate in rounds, and the growth is the median of the
 * per-round ratios 200k / 100k. Targets: the first command (open included) ≤ 300 ms, and
 * 200k ≤ 2.2 × 100k (linear, not quadratic). The first start after the records were written has no
 * snapshot yet: it reads every record and writes one, and is shown on its own; the rounds after
 * it start from the snapshot, as every later restart does.
 *
 * Then a restart of a process serving 6,000 committees with a year of history each (11 meetings,
 * 803 records): the time from the start of the process to its first answered command, and its
 * RSS. The committees' files are hard links to one committee's stream and snapshot (written by
 * the store), so the disk holds one year, not 6,000; the one committee asked gets a copy of its own.
 *
 *   npm run bench -- history          (or: npx tsx bench/history.ts)
 *   npx tsx bench/history.ts --seed-only <folder> <count>   writes the records only, to profile
 *   npx tsx bench/history.ts --first <folder>               the first command on such a folder
 *   npx tsx bench/history.ts --restart <folder> <count>     the restart of `count` committees
 *   npx tsx bench/history.ts --retention <folder> <count>   the retention pass in such a bot
 *
 * Last, in such a bot, the daily retention pass (a dry run): its time, and the bot's RSS before
 * and at the highest during it. Reported without a target.
 */
import { copyFile, link, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Core } from '../src/core/core';
import { ManualClock } from '../src/domain/clock';
import { committeeSchema, type Committee } from '../src/domain/committee';
import type { EventPayload, NewEvent } from '../src/domain/records';
import { applyEvent, emptyState, type CommitteeState } from '../src/domain/state';
import { committeeStateFold } from '../src/domain/state-snapshot';
import { FileStore } from '../src/store/file-store';
import { runRetention } from '../src/ops/retention';
import { compiledBench, figuresOfProcess, median, sampleRss, writeFigures } from './stats';

const SIZES = [100_000, 200_000] as const;
const ROUNDS = 3;
/**
 * The answer to a question that was recorded: each process asks one of its own (its pid in the
 * text), since the same text again is answered "redan anmäld" and records nothing.
 */
const questionRecorded = (answer: string) => /^Din övriga fråga \S+ är anmäld/.test(answer);
const TARGET_MS = 300;
const TARGET_GROWTH = 2.2;
const NOW = '2027-05-03T10:00:00+02:00';
const MEMBERS = 15;
const ITEMS = 20;
/** The retention period for the pass measured: three months, so the year's first meetings are closed. */
const RETENTION_DAYS = 90;
const RESTART_COMMITTEES = 6_000;
/** A year: 11 meetings of the records `historyEvents` makes (73 a meeting). */
const YEAR = 11 * 73;

const member = (i: number) => `led${i}`;

/** The committee as its file holds it today: its members and the next meeting. */
function historyCommittee(id = 'hist'): Committee {
  return committeeSchema.parse({
    id,
    name: 'Historiknämnden',
    shortName: 'HN',
    members: [
      { id: 'ordf', name: 'Ordförande Ordsson', party: 'S', role: 'ordförande', identities: { console: 'ordf' } },
      ...Array.from({ length: MEMBERS }, (_, i) => ({ id: member(i), name: `Ledamot ${i}`, party: i % 2 ? 'M' : 'S', role: 'ledamot', identities: { console: member(i) } })),
      { id: 'sekr', name: 'Sekreterare Sekrsson', role: 'sekreterare', identities: { console: 'sekr' } },
    ],
    meetings: [
      {
        id: 'mote',
        date: '2027-05-20',
        start: '13:00',
        end: '16:00',
        place: 'Kommunhuset',
        items: Array.from({ length: ITEMS }, (_, i) => ({
          lopnummer: `${i + 1}/27`,
          title: `Ärende ${i + 1} om en verksamhet som behöver ett beslut`,
          diarienummer: `HN 2027/${String(i + 1).padStart(4, '0')}`,
          beslutsunderlag: [`Tjänsteskrivelse ${i + 1}`, `Bilaga till ärende ${i + 1}`],
          forslagTillBeslut: `Nämnden beslutar enligt förvaltningens förslag i ärende ${i + 1}.`,
        })),
      },
    ],
  });
}

/** The agenda.drafted payload the core records for the committee's meeting: made once, by the core. */
async function realDraft(committee: Committee): Promise<Extract<EventPayload, { type: 'agenda.drafted' }>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-draft-'));
  const store = await FileStore.open({ dataDir: dir });
  try {
    const core = new Core({ committees: [committee], store, clock: new ManualClock(NOW) });
    const ask = (who: string, text: string, n: number) => core.handle({ deliveryId: `draft-${n}`, platform: 'console', platformUserId: who, place: { kind: 'private' }, input: { kind: 'text', text } });
    await ask(member(0), 'jäv 3/27 part Jag äger en del av bolaget', 1);
    await ask(member(1), 'övrig fråga Hur går arbetet med lokalerna?', 2);
    await ask('sekr', 'dagordning', 3);
    const drafted = (await store.readEvents(committee.id, 0)).find((e) => e.type === 'agenda.drafted');
    if (!drafted || drafted.type !== 'agenda.drafted') throw new Error('the core recorded no agenda draft');
    return { type: 'agenda.drafted', meetingId: drafted.meetingId, version: drafted.version, firstParagraph: drafted.firstParagraph, lastParagraph: drafted.lastParagraph, agenda: drafted.agenda };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `count` records of meeting after meeting, oldest first. */
function* historyEvents(count: number, draft: Extract<EventPayload, { type: 'agenda.drafted' }>): Generator<NewEvent> {
  let n = 0;
  let time = Date.parse('1990-01-01T08:00:00Z');
  const ev = (payload: EventPayload, memberId?: string): NewEvent => {
    time += 60_000;
    n++;
    return { id: `e${n}`, at: new Date(time).toISOString(), actor: { ...(memberId ? { memberId } : {}), via: memberId ? 'slack' : 'system' }, ...payload } as NewEvent;
  };
  for (let k = 0; ; k++) {
    const meetingId = `h${k}`;
    const date = new Date(time + 30 * 86_400_000).toISOString().slice(0, 10);
    const block: (() => NewEvent)[] = [];
    for (let j = 0; j < 6; j++) {
      const who = member((k + j) % MEMBERS);
      block.push(() => ev({ type: 'jav.declared', declarationId: `d${k}-${j}`, meetingId, lopnummer: `${j * 3 + 1}/${k}`, memberId: who, ground: 'partsjav', motivation: 'Jag äger en del av bolaget' }, who));
    }
    for (let j = 0; j < 2; j++) block.push(() => ev({ type: 'jav.withdrawn', declarationId: `d${k}-${j}` }, member((k + j) % MEMBERS)));
    for (let j = 0; j < 4; j++) {
      const who = member((k + 2 * j) % MEMBERS);
      block.push(() => ev({ type: 'fraga.announced', questionId: `q${k}-${j}`, meetingId, memberId: who, text: `Hur går arbetet med fråga ${j} inför sammanträde ${k}?`, late: false }, who));
    }
    for (let j = 0; j < 3; j++) block.push(() => ev({ type: 'fraga.accepted', questionId: `q${k}-${j}` }, 'sekr'));
    block.push(() => ev({ type: 'fraga.declined', questionId: `q${k}-3`, reason: 'Frågan hör till kommunstyrelsen.' }, 'sekr'));
    for (let j = 0; j < 2; j++) {
      const who = member((k + 5 + j) % MEMBERS);
      block.push(() => ev({ type: 'forhinder.reported', forhinderId: `f${k}-${j}`, meetingId, memberId: who, lopnummer: [] }, who));
      block.push(() => ev({ type: 'ersattare.asked', askId: `a${k}-${j}`, forhinderId: `f${k}-${j}`, ersattareId: member((k + 9 + j) % MEMBERS), deadline: new Date(time + 86_400_000).toISOString() }));
    }
    block.push(() => ev({ type: 'ersattare.accepted', askId: `a${k}-0` }, member((k + 9) % MEMBERS)));
    block.push(() => ev({ type: 'ersattare.declined', askId: `a${k}-1`, reason: 'Bortrest' }, member((k + 10) % MEMBERS)));
    block.push(() => ev({ ...draft, meetingId, version: 1 }, 'sekr'));
    block.push(() => ev({ ...draft, meetingId, version: 2 }, 'sekr'));
    // Reminders: members' and the secretary's, several offsets each.
    for (let r = 0; r < MEMBERS; r++) {
      for (const offset of ['wd5', 'wd2', 'wd1']) block.push(() => ev({ type: 'reminder.sent', reminderId: `hist:${meetingId}:kallelse:${member(r)}:${offset}@${date}`, recipientId: member(r) }));
    }
    block.push(() => ev({ type: 'justering.recorded', meetingId, justerare: [member(k % MEMBERS), member((k + 1) % MEMBERS)], dueDate: date }, 'sekr'));
    for (let j = 0; j < 2; j++) block.push(() => ev({ type: 'justering.signed', meetingId, memberId: member((k + j) % MEMBERS) }, member((k + j) % MEMBERS)));
    block.push(() => ev({ type: 'anslag.recorded', meetingId, postedDate: date }, 'sekr'));
    for (const make of block) {
      if (n >= count) return;
      yield make();
    }
  }
}

/** Writes `count` records to the committee's stream in a new data folder; appends in flight together share fsyncs. */
async function seed(dir: string, committee: Committee, count: number, draft: Extract<EventPayload, { type: 'agenda.drafted' }>): Promise<void> {
  const store = await FileStore.open({ dataDir: dir });
  try {
    let pending: Promise<unknown>[] = [];
    for (const e of historyEvents(count, draft)) {
      // One line per record, as one command at a time writes them.
      pending.push(store.append(committee.id, [e]));
      if (pending.length >= 2000) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
  } finally {
    await store.close();
  }
}

interface FirstCommand {
  openMs: number;
  firstMs: number;
  rssMb: number;
  answer: string;
}

/** The restarted bot: opens the folder and answers one recorded command. */
async function firstCommand(dir: string): Promise<FirstCommand> {
  const committee = historyCommittee();
  const clock = new ManualClock(NOW);
  const t0 = performance.now();
  // Wired as bin/app.ts wires the bot: each state folded from its snapshot and what came after, as the store opens.
  const states = new Map<string, CommitteeState>();
  const store = await FileStore.open({ dataDir: dir, clock, projection: { fold: committeeStateFold, onLoaded: (stream, state) => states.set(stream, state) } });
  const opened = performance.now();
  try {
    const core = new Core({ committees: [committee], store, clock, states });
    const replies = await core.handle({ deliveryId: `first-${process.pid}-${Date.now()}`, platform: 'console', platformUserId: member(3), place: { kind: 'private' }, input: { kind: 'text', text: `övrig fråga Hur går arbetet med lokalerna, del ${process.pid}?` } });
    const done = performance.now();
    return { openMs: opened - t0, firstMs: done - opened, rssMb: process.memoryUsage().rss / 1024 / 1024, answer: replies.map((r) => r.message.text).join(' / ') };
  } finally {
    await store.close();
  }
}

/** Runs `firstCommand` in a process of its own, as a restarted bot. */
function firstCommandProcess(dir: string): Promise<FirstCommand> {
  return figuresOfProcess<FirstCommand>([], compiledBench(__filename), ['--first', dir]);
}

const restartId = (i: number) => `n${String(i).padStart(4, '0')}`;

/** `count` committees with a year each: one written by the store (and its snapshot), the others hard links to it. */
async function seedYears(dir: string, count: number, draft: Extract<EventPayload, { type: 'agenda.drafted' }>): Promise<void> {
  const first = historyCommittee(restartId(0));
  await seed(dir, first, YEAR, draft);
  // The first open writes the snapshot.
  await (await FileStore.open({ dataDir: dir, projection: { fold: committeeStateFold, onLoaded: () => undefined } })).close();
  const stream = path.join(dir, 'streams', `${first.id}.jsonl`);
  const snapshot = path.join(dir, 'snapshots', `${first.id}.json`);
  for (let i = 1; i < count; i++) {
    await link(stream, path.join(dir, 'streams', `${restartId(i)}.jsonl`));
    await link(snapshot, path.join(dir, 'snapshots', `${restartId(i)}.json`));
  }
  // The committee asked is appended to: a file of its own.
  await copyFile(stream, `${stream}.copy`);
  await rename(`${stream}.copy`, stream);
}

interface Restart {
  firstAnswerMs: number;
  rssMb: number;
  committees: number;
  answer: string;
}

/** `count` committees alike but for the id and the members' console names, as committee files differ. */
function restartCommittees(count: number): Committee[] {
  const template = historyCommittee();
  return Array.from({ length: count }, (_, i) => ({
    ...template,
    id: restartId(i),
    members: template.members.map((m) => ({ ...m, identities: { ...m.identities, console: `${m.identities.console}.${i}` } })),
  }));
}

/** A bot serving `count` committees opened on the folder, wired as bin/app.ts wires it: each state from its snapshot. */
async function restartedBot(dir: string, count: number) {
  const clock = new ManualClock(NOW);
  const committees = restartCommittees(count);
  const states = new Map<string, CommitteeState>();
  const store = await FileStore.open({ dataDir: dir, clock, projection: { fold: committeeStateFold, onLoaded: (stream, state) => states.set(stream, state) } });
  return { clock, committees, states, store, core: new Core({ committees, store, clock, states }) };
}

/** The restarted bot serving `count` committees: from the start of the process to its first answer. */
async function restart(dir: string, count: number): Promise<Restart> {
  const { states, store, core } = await restartedBot(dir, count);
  try {
    const replies = await core.handle({ deliveryId: `restart-${process.pid}-${Date.now()}`, platform: 'console', platformUserId: `${member(3)}.0`, place: { kind: 'private' }, input: { kind: 'text', text: `övrig fråga Hur går arbetet med lokalerna, del ${process.pid}?` } });
    return { firstAnswerMs: performance.now(), rssMb: process.memoryUsage().rss / 1024 / 1024, committees: states.size, answer: replies.map((r) => r.message.text).join(' / ') };
  } finally {
    await store.close();
  }
}

interface RetentionPass {
  ms: number;
  /** The bot's RSS when the pass begins, and the highest during it (MB). */
  rssBeforeMb: number;
  peakRssMb: number;
  committees: number;
}

/**
 * The daily retention pass (src/ops/retention.ts) in a bot serving `count` committees, as
 * `NAMNDBOT_RETENTION_DAYS` runs it in server mode: the bot's own states in memory, then every
 * committee's whole history read and folded. A dry run: the streams are hard links to one file.
 */
async function retentionPass(dir: string, count: number): Promise<RetentionPass> {
  const { clock, committees, store, core } = await restartedBot(dir, count);
  try {
    const rssBefore = process.memoryUsage().rss;
    const rss = sampleRss();
    const t = performance.now();
    const report = await runRetention({ store, committees, clock, days: RETENTION_DAYS, dryRun: true });
    const ms = performance.now() - t;
    const peak = rss.stop();
    // Used after the pass, so the core and the states it holds live through it, as in a running bot.
    if (core.committees.size !== count) throw new Error(`the bot served ${core.committees.size} committees, not ${count}`);
    return { ms, rssBeforeMb: rssBefore / 1024 / 1024, peakRssMb: peak / 1024 / 1024, committees: report.committees.length };
  } finally {
    await store.close();
  }
}

/** The fold alone, in this process: every record of `count` applied to an empty state. */
function foldMs(count: number, draft: Extract<EventPayload, { type: 'agenda.drafted' }>): number {
  const events = [...historyEvents(count, draft)].map((e, i) => ({ ...e, seq: i + 1 }));
  const t = performance.now();
  const state = emptyState();
  for (const e of events) applyEvent(state, e);
  return performance.now() - t;
}

export async function benchHistory(): Promise<string[]> {
  const committee = historyCommittee();
  const draft = await realDraft(committee);
  const dirs = new Map<number, string>();
  const lines: string[] = [];
  const yearsDir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-years-'));
  try {
    for (const size of SIZES) {
      const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-bench-hist-'));
      dirs.set(size, dir);
      const t = performance.now();
      await seed(dir, committee, size, draft);
      lines.push(`  förberedelse: ${size.toLocaleString('sv-SE')} poster sparade på ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    let bytes = 0;
    let draftBytes = 0;
    for (const e of historyEvents(SIZES[0], draft)) {
      const n = Buffer.byteLength(JSON.stringify(e));
      bytes += n;
      if (e.type === 'agenda.drafted') draftBytes += n;
    }
    lines.push(`  ${SIZES[0].toLocaleString('sv-SE')} poster är ${(bytes / 1024 / 1024).toFixed(0)} MB JSON, varav dagordningsutkasten (agenda.drafted) ${((100 * draftBytes) / bytes).toFixed(0)} %`);
    // The first start after the records were written: no snapshot yet; it writes one.
    for (const size of SIZES) {
      const f = await firstCommandProcess(dirs.get(size)!);
      lines.push(`  första start utan ögonblicksbild, ${size.toLocaleString('sv-SE')} poster: öppna lagringen ${f.openMs.toFixed(0)} ms (läser alla poster och skriver ögonblicksbilden), första kommandot ${f.firstMs.toFixed(0)} ms; RSS ${f.rssMb.toFixed(0)} MB`);
    }
    const rounds: Map<number, FirstCommand>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round = new Map<number, FirstCommand>();
      for (const size of SIZES) round.set(size, await firstCommandProcess(dirs.get(size)!));
      rounds.push(round);
    }
    const answer = rounds[0]!.get(SIZES[0])!.answer;
    // Each round's process answers a delivery of its own: the question is recorded every time.
    const unrecorded = rounds.flatMap((r) => [...r.values()]).filter((f) => !questionRecorded(f.answer));
    if (unrecorded.length) throw new Error(`the first command was not recorded: ${unrecorded.map((f) => JSON.stringify(f.answer)).join(', ')}`);
    const total = (f: FirstCommand) => f.openMs + f.firstMs;
    const out = [`Historik i en nämnd: första kommandot efter start (en övrig fråga som sparas), i en egen process; ${ROUNDS} omgångar, storlekarna växelvis`, ...lines];
    for (const size of SIZES) {
      const figures = rounds.map((r) => r.get(size)!);
      out.push(
        `  ${size.toLocaleString('sv-SE').padStart(7)} poster: öppna lagringen ${median(figures.map((f) => f.openMs)).toFixed(0)} ms, första kommandot ${median(figures.map((f) => f.firstMs)).toFixed(0)} ms, ` +
          `sammanlagt ${median(figures.map(total)).toFixed(0)} ms (${figures.map((f) => total(f).toFixed(0)).join(', ')}); RSS ${median(figures.map((f) => f.rssMb)).toFixed(0)} MB; vikning ensam ${foldMs(size, draft).toFixed(0)} ms`,
      );
    }
    const ratios = rounds.map((r) => total(r.get(SIZES[1])!) / total(r.get(SIZES[0])!));
    const growth = median(ratios);
    const worst = Math.max(...rounds.map((r) => Math.max(...SIZES.map((s) => total(r.get(s)!)))));
    const largest = median(rounds.map((r) => total(r.get(SIZES[1])!)));
    const ok = (met: boolean) => (met ? 'uppfyllt' : 'EJ uppfyllt');
    out.push(`  svaret: ${answer.slice(0, 80)}`);
    out.push(`  mål: första kommandot ≤ ${TARGET_MS} ms vid 200 000 poster: median ${largest.toFixed(0)} ms, längsta i någon omgång ${worst.toFixed(0)} ms (${ok(largest <= TARGET_MS)})`);
    out.push(`  mål: 200 000 ≤ ${TARGET_GROWTH} × 100 000: median av omgångarnas kvoter ${growth.toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(', ')}) (${ok(growth <= TARGET_GROWTH)})`);
    const t = performance.now();
    await seedYears(yearsDir, RESTART_COMMITTEES, draft);
    out.push(`  omstart med ${RESTART_COMMITTEES.toLocaleString('sv-SE')} nämnder med ett års historik var (${YEAR} poster var, ögonblicksbilder; förberedelse ${((performance.now() - t) / 1000).toFixed(1)} s), i en egen process, ${ROUNDS} gånger:`);
    const restarts: Restart[] = [];
    for (let r = 0; r < ROUNDS; r++) restarts.push(await figuresOfProcess<Restart>([], compiledBench(__filename), ['--restart', yearsDir, String(RESTART_COMMITTEES)]));
    const notAnswered = restarts.filter((f) => !questionRecorded(f.answer) || f.committees !== RESTART_COMMITTEES);
    if (notAnswered.length) throw new Error(`the restart did not answer: ${notAnswered.map((f) => JSON.stringify(f)).join(', ')}`);
    out.push(
      `    från processens start till första svaret ${median(restarts.map((f) => f.firstAnswerMs)).toFixed(0)} ms (${restarts.map((f) => f.firstAnswerMs.toFixed(0)).join(', ')}); ` +
        `RSS ${median(restarts.map((f) => f.rssMb)).toFixed(0)} MB (${restarts.map((f) => f.rssMb.toFixed(0)).join(', ')})`,
    );
    const pass = await figuresOfProcess<RetentionPass>([], compiledBench(__filename), ['--retention', yearsDir, String(RESTART_COMMITTEES)]);
    if (pass.committees !== RESTART_COMMITTEES) throw new Error(`the retention pass went through ${pass.committees} committees, not ${RESTART_COMMITTEES}`);
    out.push(
      `  gallringen (NAMNDBOT_RETENTION_DAYS=${RETENTION_DAYS}, provkörning) i samma bot, en gång: ${(pass.ms / 1000).toFixed(1)} s; RSS ${pass.rssBeforeMb.toFixed(0)} MB före, högst ${pass.peakRssMb.toFixed(0)} MB under den`,
    );
    return out;
  } finally {
    for (const dir of dirs.values()) await rm(dir, { recursive: true, force: true });
    await rm(yearsDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const at = process.argv.indexOf('--first');
  const seedAt = process.argv.indexOf('--seed-only');
  const restartAt = process.argv.indexOf('--restart');
  const retentionAt = process.argv.indexOf('--retention');
  if (retentionAt > 0) {
    void retentionPass(process.argv[retentionAt + 1]!, Number(process.argv[retentionAt + 2])).then(writeFigures);
  } else if (restartAt > 0) {
    void restart(process.argv[restartAt + 1]!, Number(process.argv[restartAt + 2])).then(writeFigures);
  } else if (seedAt > 0) {
    const committee = historyCommittee();
    void realDraft(committee).then((d) => seed(process.argv[seedAt + 1]!, committee, Number(process.argv[seedAt + 2]), d));
  } else if (at > 0) {
    void firstCommand(process.argv[at + 1]!).then(writeFigures);
  } else {
    void benchHistory().then((lines) => process.stdout.write(`${lines.join('\n')}\n`));
  }
}
