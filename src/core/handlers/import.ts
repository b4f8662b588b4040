/**
 * Ärendelista import: the secretary sends a file (or pastes the dagordning below "import"), the
 * bot shows what would change and keeps the import staged for her alone; only "import spara"
 * (or the button) records it, as one `items.imported` record (with `meeting.added` when the
 * mötesbok names a meeting not yet there). Importing again shows the difference (added,
 * removed, moved, retitled); declarations on ärenden that stay are kept (they are by löpnummer),
 * and those on ärenden the new list leaves out are shown, never dropped: they stay in the register.
 */
import { z } from 'zod';
import { everyone, itemSchema, type Committee, type Item, type Meeting } from '../../domain/committee';
import { diffItems, isEmptyDiff, type ItemsDiff } from '../../domain/meeting-records';
import { normalizeForMatch } from '../../domain/text';
import { formatClockRange, formatDateLong } from '../../domain/time';
import type { EventPayload } from '../../domain/records';
import { readArendelista, type ReadArendelista, type ReadResult } from '../../import/arendelista';
import { SECRETARY } from '../commands';
import { reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { buttons, fields, list, message, paragraph, type Message, type Part } from '../message';
import { toAsker } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findMeeting, isHeld, itemLabel, meetingName, upcomingMeetings } from '../refs';
import { actionValue, refusal } from './common';
import { recordsOnItem } from './meetings';

/** A staged import is confirmed within this time, or sent again. */
export const STAGED_IMPORT_HOURS = 24;

const newMeetingSchema = z.object({ date: z.string(), start: z.string().optional(), end: z.string().optional(), place: z.string() });

/** What is kept between the preview and the confirmation (a Store value, not a record). */
export const stagedImportSchema = z.object({
  meetingId: z.string(),
  /** The meeting to add first, when the mötesbok names one not yet there. */
  newMeeting: newMeetingSchema.optional(),
  source: z.string(),
  items: z.array(itemSchema),
  /** The meeting's ärenden as the preview saw them: confirming after a change means a new preview. */
  beforeKey: z.string(),
  stagedAt: z.string(),
});
export type StagedImport = z.infer<typeof stagedImportSchema>;

/** The ärenden an import would give the meeting, and what the secretary is told about the rows. */
export interface ImportPlan {
  meeting: Meeting;
  newMeeting?: StagedImport['newMeeting'];
  items: Item[];
  diff: ItemsDiff;
  notes: string[];
  /** Declarations and förhinder on ärenden the list leaves out. */
  standing: string[];
}

function itemsKey(items: readonly Item[]): string {
  return JSON.stringify(items);
}

/**
 * Matches the rows to the committee and the meeting: the meeting named (or the mötesbok's date,
 * or the next), each row as an ärende keeping what an existing ärende has that the file does not say.
 */
export function planImport(read: ReadArendelista, meetingRef: string | undefined, committee: Committee, state: HandlerContext['state'], now: Date): { ok: true; plan: ImportPlan } | { ok: false; reason: string } {
  let meeting: Meeting | undefined;
  let newMeeting: ImportPlan['newMeeting'];
  const ref = meetingRef ?? read.meeting?.date;
  if (ref) {
    const found = findMeeting(committee, ref, now);
    if (found.ok) meeting = found.value;
    else if (/^\d{4}-\d{2}-\d{2}$/.test(ref) && read.meeting?.date === ref && read.meeting.place) {
      // The mötesbok names date and place (a time only sometimes): the meeting is added with the import.
      newMeeting = { date: ref, ...(read.meeting.start ? { start: read.meeting.start } : {}), ...(read.meeting.end ? { end: read.meeting.end } : {}), place: read.meeting.place };
      let id = ref;
      for (let n = 2; committee.meetings.some((m) => m.id === id); n++) id = `${ref}-${n}`;
      meeting = { id, ...newMeeting, items: [] };
    } else {
      const place = read.meeting?.place ? ` ${read.meeting.place}` : ' <plats>';
      return {
        ok: false,
        reason: `Det finns inget sammanträde ${ref} inlagt. Lägg in det först (möte ny ${ref} kl. 13.00${place}) och skicka filen igen, eller skriv vilket möte: import möte <datum>.`,
      };
    }
  } else {
    meeting = upcomingMeetings(committee, now)[0];
    if (!meeting) return { ok: false, reason: 'Det finns inget kommande sammanträde inlagt. Lägg in det först: möte ny <datum> kl. <tid> <plats>.' };
  }
  if (!newMeeting && isHeld(meeting, now)) return { ok: false, reason: `${meetingName(meeting)} är redan hållet; dess ärenden ändras inte längre.` };

  const notes: string[] = [];
  if (read.unknownColumns.length) notes.push(`Kolumner jag inte känner igen och har hoppat över: ${read.unknownColumns.join(', ')}.`);
  // Handläggare and föredragande are tjänstepersoner (or members) of the committee file, found by name.
  const people = everyone(committee);
  const existing = new Map(meeting.items.map((i) => [i.lopnummer, i]));
  const unmatched = new Set<string>();
  const items: Item[] = read.rows.map((row) => {
    const before = existing.get(row.lopnummer);
    const has = (f: ReadArendelista['fields'][number]) => read.fields.includes(f);
    const item: Record<string, unknown> = { ...(before ?? {}), lopnummer: row.lopnummer, title: row.title };
    if (has('diarienummer')) {
      if (row.diarienummer) item.diarienummer = row.diarienummer;
      else delete item.diarienummer;
    }
    if (has('kind') || !before) item.kind = row.kind;
    if (has('sekretess') || !before) item.sekretess = row.sekretess;
    if (has('forslag')) {
      if (row.forslagTillBeslut) item.forslagTillBeslut = row.forslagTillBeslut;
      else delete item.forslagTillBeslut;
    }
    for (const key of ['handlaggare', 'foredragande'] as const) {
      if (!has(key)) continue;
      const ids: string[] = [];
      for (const person of row[key]) {
        const found = people.filter((m) => normalizeForMatch(m.name) === normalizeForMatch(person.name));
        // Two people of the same name: neither is guessed.
        if (found.length === 1) ids.push(found[0]!.id);
        else unmatched.add(person.name);
      }
      if (row[key].length === 0) delete item[key];
      else if (ids.length) item[key] = ids.length === 1 ? ids[0] : ids;
    }
    return itemSchema.parse(item);
  });
  if (unmatched.size) notes.push(`Handläggare och föredragande som inte finns bland nämndfilens tjänstepersoner (namnen tas inte med; lägg till dem under tjanstepersoner): ${[...unmatched].join(', ')}.`);
  const diff = diffItems(meeting.items, items);
  const standing = diff.removed.flatMap((i) => recordsOnItem(committee, state, meeting!.id, i.lopnummer));
  return { ok: true, plan: { meeting, ...(newMeeting ? { newMeeting } : {}), items, diff, notes, standing } };
}

/** The difference in Swedish lines: what the preview and the confirmation show. */
export function diffLines(diff: ItemsDiff, showSekretessTitles = false): Part[] {
  const parts: Part[] = [];
  if (diff.added.length) parts.push(list(diff.added.map((i) => itemLabel(i, showSekretessTitles)), `Nya ärenden (${diff.added.length}):`));
  if (diff.removed.length) parts.push(list(diff.removed.map((i) => itemLabel(i, showSekretessTitles)), `Tas bort (${diff.removed.length}):`));
  if (diff.retitled.length) parts.push(list(diff.retitled.map((r) => `${r.lopnummer}: ny rubrik "${r.to}" (var "${r.from}")`), `Ny rubrik (${diff.retitled.length}):`));
  if (diff.moved.length) parts.push(list(diff.moved, `Flyttade i ordningen (${diff.moved.length}):`));
  if (diff.changed.length) parts.push(list(diff.changed, `Ändrade uppgifter (diarienummer, typ, förslag, sekretess, handläggare) (${diff.changed.length}):`));
  return parts;
}

function previewMessage(plan: ImportPlan, source: string, committee: Committee): Message {
  const m = plan.meeting;
  const head = plan.newMeeting
    ? `Förhandsvisning av importen från ${source}: nytt sammanträde ${formatDateLong(m.date)} ${formatClockRange(m.start, m.end)}, ${m.place}, med ${plan.items.length} ärenden.`
    : `Förhandsvisning av importen från ${source} till ${meetingName(m)}: ${plan.items.length} ärenden.`;
  const value = actionValue(committee, { meeting: m.id });
  return {
    text: `${head} Inget är sparat ännu.`,
    parts: [
      fields({ label: 'Sammanträde', value: `${m.date} ${formatClockRange(m.start, m.end)}, ${m.place}` }, { label: 'Ärenden efter importen', value: String(plan.items.length) }),
      ...diffLines(plan.diff, true),
      list(plan.items.map((i) => `${itemLabel(i, true)}${i.kind === 'information' ? ' (information)' : ''}`), 'Ärendena i den nya ordningen:'),
      ...(plan.standing.length ? [list(plan.standing, 'Obs! Anmälningar på ärenden som tas bort (de står kvar i registret och i exporten):')] : []),
      ...(plan.notes.length ? [list(plan.notes, 'Att veta:')] : []),
      paragraph('Spara importen, eller avbryt. Anmälningar om jäv och förhinder på ärenden som är kvar gäller som förut.'),
      buttons(
        { label: 'Spara importen', actionId: 'import.confirm', value, command: 'import spara', style: 'primary' },
        { label: 'Avbryt', actionId: 'import.cancel', value, command: 'import avbryt' },
      ),
    ],
    // The preview names every ärende in full, sekretess ones too: only ever to the secretary.
    sekretess: plan.items.some((i) => i.sekretess) || plan.diff.removed.some((i) => i.sekretess),
  };
}

/** `import` with a file (or pasted text): reads it, shows the difference, stages it. Records nothing. */
export function importFile(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  if (!cmd.file) {
    return reply(
      refusal(
        'Skicka ärendelistan som fil till mig (Excel .xlsx, CSV eller .txt) med texten "import", eller klistra in dagordningen under ordet import på första raden. På kommandoraden: namndbot import <fil>.',
      ),
    );
  }
  const read = ctx.prepared as ReadResult | undefined;
  if (!read) return reply(refusal('Filen kunde inte läsas. Skicka den igen.'));
  if (!read.ok) return reply(refusal(`Filen ${cmd.file.name} kunde inte importeras, och inget har ändrats:`, list(read.problems)));
  if (ctx.place.kind === 'channel') return reply(refusal('Skicka ärendelistan till mig privat, inte i en kanal: förhandsvisningen visar alla ärenden. Inget har ändrats.'));
  const planned = planImport(read, cmd.args.meeting, ctx.committee, ctx.state, ctx.now);
  if (!planned.ok) return reply(refusal(`${planned.reason} Inget har ändrats.`));
  const plan = planned.plan;
  if (isEmptyDiff(plan.diff) && !plan.newMeeting) {
    return { events: [], replies: [toAsker(message(`Ärendelistan i ${cmd.file.name} stämmer redan med ${meetingName(plan.meeting)}. Inget att ändra.`, ...(plan.notes.length ? [list(plan.notes)] : [])))], stage: null };
  }
  const staged: StagedImport = {
    meetingId: plan.meeting.id,
    ...(plan.newMeeting ? { newMeeting: plan.newMeeting } : {}),
    source: cmd.file.name,
    items: plan.items,
    beforeKey: itemsKey(plan.newMeeting ? [] : plan.meeting.items),
    stagedAt: ctx.now.toISOString(),
  };
  return { events: [], replies: [toAsker(previewMessage(plan, cmd.file.name, ctx.committee))], stage: staged };
}

/** The events that record a staged import. */
export function importEvents(staged: StagedImport): EventPayload[] {
  return [
    ...(staged.newMeeting ? [{ type: 'meeting.added' as const, meetingId: staged.meetingId, ...staged.newMeeting }] : []),
    { type: 'items.imported', meetingId: staged.meetingId, source: staged.source, items: staged.items },
  ];
}

/** `import spara`: records the staged import, if the meeting is as the preview saw it. */
export function confirmImport(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const parsed = stagedImportSchema.safeParse(ctx.staged);
  if (!parsed.success) return reply(refusal('Det finns ingen import som väntar på att sparas. Skicka ärendelistan till mig igen.'));
  const staged = parsed.data;
  if (ctx.now.getTime() - Date.parse(staged.stagedAt) > STAGED_IMPORT_HOURS * 3600_000) {
    return { events: [], replies: [refusal(`Förhandsvisningen är äldre än ${STAGED_IMPORT_HOURS} timmar. Skicka ärendelistan igen. Inget har ändrats.`)], stage: null };
  }
  const meeting = ctx.committee.meetings.find((m) => m.id === staged.meetingId);
  const current = meeting?.items ?? [];
  if ((staged.newMeeting ? (meeting ? 'changed' : itemsKey([])) : meeting ? itemsKey(current) : 'gone') !== staged.beforeKey) {
    return { events: [], replies: [refusal('Ärendena på mötet har ändrats sedan förhandsvisningen. Skicka ärendelistan igen, så visar jag skillnaden som den är nu. Inget har ändrats.')], stage: null };
  }
  if (meeting && isHeld(meeting, ctx.now)) return { events: [], replies: [refusal(`${meetingName(meeting)} är redan hållet. Inget har ändrats.`)], stage: null };
  const diff = diffItems(current, staged.items);
  const standing = meeting ? diff.removed.flatMap((i) => recordsOnItem(ctx.committee, ctx.state, meeting.id, i.lopnummer)) : [];
  const name = meeting ? meetingName(meeting) : `sammanträdet ${formatDateLong(staged.newMeeting!.date)}`;
  return {
    events: importEvents(staged),
    replies: [
      toAsker(
        message(
          `Importen från ${staged.source} är sparad: ${name} har nu ${staged.items.length} ärenden.`,
          ...diffLines(diff),
          ...(standing.length ? [list(standing, 'Obs! Anmälningar på ärenden som togs bort (de står kvar i registret och i exporten):')] : []),
          paragraph('Skriv "dagordning" för ett nytt utkast.'),
        ),
      ),
    ],
    stage: null,
  };
}

export function cancelImport(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  if (ctx.staged === undefined) return reply(toAsker(message('Det finns ingen import som väntar. Inget har ändrats.')));
  return { events: [], replies: [toAsker(message('Importen är avbruten. Inget har ändrats.'))], stage: null };
}

async function prepareImport(cmd: ParsedCommand): Promise<ReadResult | undefined> {
  return cmd.file ? readArendelista(cmd.file.name, cmd.file.bytes) : undefined;
}

const IMPORT_WORDS = ['import', 'importera'];

export const importCommands: CommandDef[] = [
  {
    name: 'import',
    words: IMPORT_WORDS,
    sub: [],
    args: ['meeting'],
    roles: SECRETARY,
    usage: 'import [möte <datum>] med ärendelistan som fil, eller dagordningen inklistrad under',
    example: 'import möte 2025-02-13',
    summary: 'läser en ärendelista (Excel, CSV eller mötesbokens dagordning) och visar vad som ändras innan något sparas',
    handle: importFile,
    prepare: prepareImport,
    staging: 'import',
  },
  { name: 'import.confirm', words: IMPORT_WORDS, sub: ['spara', 'ja', 'confirm'], args: ['meeting'], roles: SECRETARY, usage: 'import spara', example: 'import spara', summary: 'sparar importen du just fick förhandsvisad', handle: confirmImport, staging: 'import' },
  { name: 'import.cancel', words: IMPORT_WORDS, sub: ['avbryt', 'nej', 'cancel'], args: ['meeting'], roles: SECRETARY, usage: 'import avbryt', example: 'import avbryt', summary: 'slänger importen som väntar', handle: cancelImport, staging: 'import' },
];
