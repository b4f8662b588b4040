/**
 * `namndbot reminders [--at <tidpunkt>] [--committee <id>]`: what the scheduler would send at
 * that moment, to whom and why, so a secretary or an admin can check a committee's setup.
 * Plans from the stored records exactly like the scheduler; sends nothing and records nothing.
 */
import type { Writable } from 'node:stream';
import { recipientText, reminderMessage, whenText, KIND_LABELS } from '../../src/core/handlers/reminder-messages';
import { toPlainText } from '../../src/core/message';
import { planReminders, planWindow, type PlannedReminder } from '../../src/domain/plan';
import type { App } from '../app';

export interface RemindersOptions {
  committee?: string;
  stdout: Writable;
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

export async function runReminders(app: App, options: RemindersOptions): Promise<number> {
  const out = options.stdout;
  const now = app.clock.now();
  const committees = options.committee ? app.committees.filter((c) => c.id === options.committee || c.shortName.toLowerCase() === options.committee!.toLowerCase()) : app.committees;
  if (committees.length === 0) {
    out.write(`Det finns ingen nämnd "${options.committee}". Nämnder: ${app.committees.map((c) => c.id).join(', ')}.\n`);
    return 2;
  }
  out.write(`Påminnelser ${whenText(now)} (förhandsvisning: inget skickas och inget sparas)\n`);
  for (const committee of committees) {
    const state = await app.core.log.state(committee.id);
    const window = planWindow({ committee, state, now, until: now });
    const by = (s: PlannedReminder['status']) => window.reminders.filter((r) => r.status === s);
    const due = by('due');
    const waiting = by('pending');
    const stale = by('stale');
    const superseded = by('superseded');
    out.write(`\n${committee.name} (${committee.id})\n`);
    if (due.length === 0) out.write('  Inget skickas just nu.\n');
    else {
      out.write(`  Skickas nu: ${due.length}\n`);
      for (const r of due) {
        out.write(`\n  ── till ${recipientText(committee, r.recipientId)} — ${KIND_LABELS[r.kind]}: ${r.reason}\n`);
        out.write(`     id: ${r.id}\n`);
        out.write(`${indent(toPlainText(reminderMessage(committee, r)), '     ')}\n`);
      }
    }
    if (waiting.length) {
      out.write(`\n  Har fallit ut men väntar på kontorstid eller arbetsdag: ${waiting.length}\n`);
      for (const r of waiting) out.write(`  • ${whenText(r.sendAt)} till ${recipientText(committee, r.recipientId)}: ${KIND_LABELS[r.kind]} (${r.reason})\n`);
    }
    if (stale.length) {
      out.write(`\n  Stryks och loggas, sista dagen har passerat: ${stale.length}\n`);
      for (const r of stale) out.write(`  • ${whenText(r.due)} till ${recipientText(committee, r.recipientId)}: ${KIND_LABELS[r.kind]} (${r.reason}), sista dag ${r.staleAfter}\n`);
    }
    if (superseded.length) out.write(`\n  Ersätts av en senare påminnelse i samma serie: ${superseded.length}\n`);
    if (window.next) {
      const at = window.next.getTime();
      const next = planReminders({ committee, state, now }).filter((r) => r.sendAt.getTime() === at);
      const who = next.length <= 3 ? next.map((r) => recipientText(committee, r.recipientId)).join('; ') : `${next.length} personer`;
      const what = [...new Set(next.map((r) => KIND_LABELS[r.kind]))].join(', ');
      out.write(`\n  Nästa: ${whenText(window.next)}${what ? `, ${what} till ${who}` : ''}.\n`);
    } else out.write('\n  Inga fler påminnelser är planerade.\n');
  }
  return 0;
}
