/**
 * `namndbot calendar [--out fil.ics] [--committee <id>]`: the committees' meetings and deadlines
 * as an ICS file for Outlook: kallelse, tjänsteskrivelser, övriga frågor, justering, anslag and
 * överklagande. Deadlines that depend on what has not happened yet (the justering, the anslag)
 * are computed from the rules and marked as computed. Written with the `ics` package.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createEvents, type DateArray, type EventAttributes } from 'ics';
import type { Committee, Meeting } from '../../src/domain/committee';
import { anslagDue, justeringDue, kallelseDue, overklagandeLastDay, ovrigaFragorCutoff, tjansteskrivelseDue } from '../../src/domain/deadlines';
import { reminderSettings } from '../../src/domain/plan';
import type { CommitteeState } from '../../src/domain/state';
import { addCalendarDays, formatDateLong, stockholmDate, stockholmInstant } from '../../src/domain/time';
import type { App } from '../app';
import { count } from '../../src/domain/text';

export interface CalendarOptions {
  out: string;
  committee?: string;
  stdout: Writable;
}

const COMPUTED = 'Beräknat enligt reglerna; datumet kan ändras.';

function dateArray(isoDate: string): DateArray {
  const [y, m, d] = isoDate.split('-').map(Number);
  return [y, m, d];
}

function allDay(uid: string, date: string, title: string, description: string): EventAttributes {
  return { uid, start: dateArray(date), end: dateArray(addCalendarDays(date, 1)), title, description, transp: 'TRANSPARENT', busyStatus: 'FREE' };
}

/** The events of one meeting, from the committee file and what has been recorded. */
export function meetingEvents(committee: Committee, meeting: Meeting, state: CommitteeState): EventAttributes[] {
  const uid = (kind: string) => `${committee.id}-${meeting.id}-${kind}@namndbot`;
  const label = `${committee.shortName}`;
  const about = `sammanträdet ${formatDateLong(meeting.date)}`;
  const start = stockholmInstant(meeting.date, meeting.start).getTime();
  // Without an end time the meeting is shown as three hours.
  const end = meeting.end ? stockholmInstant(meeting.date, meeting.end).getTime() : start + 3 * 3600_000;
  const description = `${committee.name}, ${count(meeting.items.length, 'ärende', 'ärenden')}.`;
  const events: EventAttributes[] = [
    // A meeting without a time (a mötesbok may give none) is a whole-day event, not one at midnight.
    meeting.start ? {
      uid: uid('sammantrade'),
      start,
      startInputType: 'utc',
      startOutputType: 'utc',
      end,
      endInputType: 'utc',
      endOutputType: 'utc',
      title: `${label}: sammanträde`,
      location: meeting.place,
      description,
      busyStatus: 'BUSY',
    } : { ...allDay(uid('sammantrade'), meeting.date, `${label}: sammanträde`, description), location: meeting.place, transp: 'OPAQUE', busyStatus: 'BUSY' },
  ];
  const settings = reminderSettings(committee);

  const kallelse = kallelseDue(meeting.date, settings.kallelseDaysBefore);
  events.push(allDay(uid('kallelse'), kallelse.proposedDate ?? kallelse.date, `${label}: sista dag för kallelsen`, [`Kallelsen till ${about}.`, kallelse.explanation, kallelse.warning ?? ''].join(' ').trim()));
  const tjanst = tjansteskrivelseDue(meeting.date, settings.tjansteskrivelseWorkingDays);
  events.push(allDay(uid('tjansteskrivelser'), tjanst.date, `${label}: sista dag för tjänsteskrivelser`, `Tjänsteskrivelser till ${about}. ${tjanst.explanation}`));
  const cutoff = ovrigaFragorCutoff(meeting.date, meeting.start, settings.ovrigaFragorCutoffHours);
  events.push({
    uid: uid('ovriga-fragor'),
    start: cutoff.instant.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: 15 },
    title: `${label}: sista tid för övriga frågor`,
    description: `Övriga frågor till ${about}. ${cutoff.explanation}`,
    transp: 'TRANSPARENT',
    busyStatus: 'FREE',
  });

  const j = state.justering.get(meeting.id);
  const justering = j ? j.dueDate : justeringDue(meeting.date, meeting.justeringDate).date;
  const legal = justeringDue(meeting.date).date;
  const rule = j ? (j.dueDate === legal ? justeringDue(meeting.date) : justeringDue(meeting.date, j.dueDate)) : justeringDue(meeting.date, meeting.justeringDate);
  events.push(allDay(uid('justering'), justering, `${label}: sista dag för justering`, `Protokollet från ${about}. ${rule.explanation}${j ? '' : ` ${COMPUTED}`}`));
  // The anslag counts from the day the protocol was justerat, when it has been.
  const signers = j ? Object.keys(j.signedAt) : [];
  const lastSigned = j && signers.length ? signers.map((id) => j.signedAt[id]).sort().pop() : undefined;
  const allSigned = !!j && j.justerare.every((id) => j.signedAt[id]) && committee.members.filter((m) => m.role === 'ordförande').every((m) => j.signedAt[m.id]);
  const justerat = allSigned && lastSigned ? stockholmDate(new Date(lastSigned)) : justering;
  const posted = j?.anslagPostedDate;
  if (posted) {
    events.push(allDay(uid('anslag'), posted, `${label}: anslaget uppsatt`, `Anslaget om protokollet från ${about} sattes upp.`));
  } else {
    const a = anslagDue(justerat);
    events.push(allDay(uid('anslag'), a.proposedDate ?? a.date, `${label}: sista dag för anslag`, `Anslaget om protokollet från ${about}. ${a.explanation}${a.warning ? ` ${a.warning}` : ''}${allSigned ? '' : ` ${COMPUTED}`}`));
  }
  // The överklagandetid counts from the day the anslag goes up: the day the event above recommends.
  const recommended = anslagDue(justerat);
  const anslag = posted ?? recommended.proposedDate ?? recommended.date;
  const o = overklagandeLastDay(anslag);
  events.push(allDay(uid('overklagande'), o.date, `${label}: sista dag för överklagande`, `Beslut vid ${about}. ${o.explanation}${posted ? '' : ` ${COMPUTED}`}`));
  return events;
}

export async function runCalendar(app: App, options: CalendarOptions): Promise<number> {
  const wanted = options.committee?.toLowerCase();
  const committees = wanted ? app.committees.filter((c) => c.id === wanted || c.shortName.toLowerCase() === wanted) : app.committees;
  if (committees.length === 0) {
    options.stdout.write(`Det finns ingen nämnd "${options.committee}". Nämnder: ${app.committees.map((c) => c.id).join(', ')}.\n`);
    return 2;
  }
  const events: EventAttributes[] = [];
  for (const committee of committees) {
    const state = await app.core.log.state(committee.id);
    for (const meeting of committee.meetings) events.push(...meetingEvents(committee, meeting, state));
  }
  const calName = committees.length === 1 ? committees[0].name : 'Nämndbot';
  const written = calendarText(events, calName, app.clock.now());
  if (!written.ok) {
    options.stdout.write(`Kalendern kunde inte skapas: ${written.error}\n`);
    return 1;
  }
  await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
  await writeFile(options.out, written.text);
  options.stdout.write(`${calName}: ${count(events.length, 'händelse', 'händelser')} (${count(committees.reduce((n, c) => n + c.meetings.length, 0), 'sammanträde', 'sammanträden')} med frister) → ${options.out}\n`);
  return 0;
}

/** A formal public identifier, as RFC 5545 3.7.3 asks: who made the calendar, with which product, in which language. */
export const PRODUCT_ID = '-//Namndbot//Namndbot kalender//SV';

/**
 * The ICS text of the events. Every event carries a SEQUENCE that grows with the time the file
 * is written, so a calendar that imports a newer file replaces an event whose date changed (a
 * justering date moved) instead of keeping the old one. Lines are folded at 75 octets.
 */
export function calendarText(events: EventAttributes[], calName: string, writtenAt: Date): { ok: true; text: string } | { ok: false; error: string } {
  const sequence = Math.max(0, Math.floor((writtenAt.getTime() - SEQUENCE_EPOCH) / 60_000));
  const { error, value } = createEvents(
    events.map((e) => ({ ...e, sequence })),
    { productId: PRODUCT_ID, calName },
  );
  if (error || !value) return { ok: false, error: error?.message ?? 'okänt fel' };
  return { ok: true, text: foldIcsLines(value) };
}

/** Whole minutes since 2026-01-01 make the SEQUENCE: growing, and within iCalendar's 32-bit integer for millennia. */
const SEQUENCE_EPOCH = Date.UTC(2026, 0, 1);

/**
 * Folds content lines so that no line is longer than 75 octets (RFC 5545 3.1), without
 * splitting a character's UTF-8 bytes; the `ics` package folds at 75 characters, which å, ä
 * and ö make longer. A continuation line starts with one space.
 */
export function foldIcsLines(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines.map(foldLine).join('\r\n');
}

function foldLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= 75) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line is one of its 75 octets
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}
