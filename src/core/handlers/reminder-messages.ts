/**
 * Reminders as messages: the plan (src/domain/plan.ts) says what and why in Swedish; this turns
 * it into the core's message model, with buttons that carry the suggested commands. Also the
 * secretary's notice about members the bot could not reach, and the one-line descriptions the
 * previews (`påminnelser`, `namndbot reminders`) show.
 */
import { findMember, memberLabel, type Committee } from '../../domain/committee';
import type { PlannedReminder, ReminderKind } from '../../domain/plan';
import { formatClock, formatDateLong, stockholmClock, stockholmDate } from '../../domain/time';
import { buttons, fields, header, list, message, paragraph, type Message, type Part } from '../message';
import { actionValue } from './common';

export const KIND_LABELS: Record<ReminderKind, string> = {
  justering: 'justering',
  'justering.overdue': 'försenad justering',
  anslag: 'anslag',
  kallelse: 'kallelse',
  'kallelse.members': 'kallelse till ledamöterna',
  tjansteskrivelse: 'tjänsteskrivelser',
};

/** The message a planned reminder sends to its recipient. */
export function reminderMessage(committee: Committee, r: PlannedReminder): Message {
  const parts: Part[] = [header(committee.name), ...r.lines.map(paragraph)];
  if (r.list) parts.push(list(r.list.items, r.list.title));
  parts.push(fields({ label: 'Sista dag', value: formatDateLong(r.deadline) }));
  if (r.commands.length) {
    parts.push(
      buttons(
        ...r.commands.map((c) => ({
          label: c.label,
          actionId: c.name,
          value: actionValue(committee, c.args),
          command: c.text,
          ...(c.primary ? { style: 'primary' as const } : {}),
        })),
      ),
    );
  }
  return message(r.title, ...parts);
}

/** "fredag den 14 februari 2025 kl. 8.00" for an instant. */
export function whenText(instant: Date): string {
  return `${formatDateLong(stockholmDate(instant))} ${formatClock(stockholmClock(instant))}`;
}

export function recipientText(committee: Committee, memberId: string): string {
  const m = findMember(committee, memberId);
  return m ? `${memberLabel(m)}, ${m.role}` : `${memberId} (finns inte i nämndfilen)`;
}

/** One line for a list of planned reminders: when, to whom, what and why. */
export function describeReminder(committee: Committee, r: PlannedReminder): string {
  return `${whenText(r.sendAt)} till ${recipientText(committee, r.recipientId)}: ${KIND_LABELS[r.kind]} (${r.reason})`;
}

export interface UndeliveredReminder {
  reminder: PlannedReminder;
  /** Swedish: the platform's reason, or that sending failed again and again. */
  reason: string;
  /** True when retrying will not help until someone acts (app not installed, no account). */
  unreachable: boolean;
}

/** For the secretary: the members a tick could not reach, and why. */
export function undeliveredMessage(committee: Committee, undelivered: UndeliveredReminder[]): Message {
  const lines = undelivered.map((u) => {
    const meeting = committee.meetings.find((m) => m.id === u.reminder.meetingId);
    const about = `${KIND_LABELS[u.reminder.kind]}${meeting ? `, sammanträdet ${formatDateLong(meeting.date)}` : ''}`;
    const what = u.unreachable ? `kan inte nås: ${u.reason}` : `${u.reason}; Nämndbot försöker igen`;
    return `${recipientText(committee, u.reminder.recipientId)} (${about}) — ${what}`;
  });
  const anyUnreachable = undelivered.some((u) => u.unreachable);
  return message(
    undelivered.length === 1 ? 'En påminnelse kunde inte skickas.' : `${undelivered.length} påminnelser kunde inte skickas.`,
    header(committee.name),
    list(lines),
    ...(anyUnreachable
      ? [paragraph('Se till att personen har Nämndbot i sin chatt, eller koppla ett annat konto med kommandot koppla. Påminn personen på annat sätt så länge.')]
      : []),
  );
}
