/**
 * Help and look-ups: hjälp, vem är jag, möten, ärenden.
 */
import { memberLabel } from '../../domain/committee';
import { formatClockRange, formatDateLong } from '../../domain/time';
import { EVERYONE } from '../commands';
import { reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { fields, list, message, paragraph } from '../message';
import { toAsker } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findMeeting, itemLabel, meetingName, upcomingMeetings } from '../refs';
import { refusal } from './common';
import { ON_BEHALF_HELP } from '../on-behalf';
import { count } from '../../domain/text';

/** Only the commands the asker's role may use, each with an example. */
export function help(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const mine = ctx.commands.filter((c) => c.roles.includes(ctx.member.role));
  return reply(
    toAsker(
      message(
        `Det här kan du göra som ${ctx.member.role} i ${ctx.committee.name}:`,
        list(mine.map((c) => `${c.usage} — ${c.summary}. Exempel: ${c.example}`)),
        paragraph('Stora eller små bokstäver spelar ingen roll, och du kan skriva jav i stället för jäv. Saknas något frågar jag efter det.'),
        ...(ctx.member.role === 'sekreterare' ? [membersCanPointer(ctx), paragraph(`Åt en ledamot: ${ON_BEHALF_HELP}.`)] : []),
      ),
    ),
  );
}

/** The secretary sees what the members can do, so she can tell them (förhinder, jäv, övriga frågor). */
function membersCanPointer(ctx: HandlerContext) {
  const theirs = ctx.commands.filter((c) => c.roles.includes('ledamot') && !c.roles.includes('sekreterare') && c.sub.length === 0);
  return paragraph(`Vad ledamöterna kan: ${theirs.map((c) => c.usage.split(/ [[<]/)[0]).join(', ')}. Mer i docs/ledamot.md.`);
}

export function whoami(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  return reply(toAsker(message(`Du är ${memberLabel(ctx.member)}, ${ctx.member.role} i ${ctx.committee.name}.`)));
}

export function meetings(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const upcoming = upcomingMeetings(ctx.committee, ctx.now);
  if (upcoming.length === 0) return reply(toAsker(message(`${ctx.committee.name} har inga kommande sammanträden inlagda.`)));
  return reply(
    toAsker(
      message(
        `Kommande sammanträden i ${ctx.committee.name}:`,
        list(upcoming.map((m) => `${[formatDateLong(m.date), formatClockRange(m.start, m.end)].filter(Boolean).join(' ')}, ${m.place} (${count(m.items.length, 'ärende', 'ärenden')})`)),
      ),
    ),
  );
}

export function items(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const found = findMeeting(ctx.committee, cmd.args.meeting, ctx.now);
  if (!found.ok) return reply(refusal(found.reason));
  const m = found.value;
  return reply(
    toAsker(
      message(
        `Ärenden till ${meetingName(m)}:`,
        fields({ label: 'Tid', value: formatClockRange(m.start, m.end) || 'ej angiven' }, { label: 'Plats', value: m.place }),
        m.items.length
          ? list(m.items.map((i) => `${itemLabel(i)}${i.kind === 'information' ? ' (information)' : ''}`))
          : paragraph('Inga ärenden är inlagda ännu.'),
      ),
    ),
  );
}

export const infoCommands: CommandDef[] = [
  { name: 'help', words: ['hjalp', 'help', '?'], sub: [], args: [], roles: EVERYONE, usage: 'hjälp', example: 'hjälp', summary: 'visar kommandona du kan använda', handle: help },
  { name: 'whoami', words: ['vem ar jag', 'whoami', 'jag'], sub: [], args: [], roles: EVERYONE, usage: 'vem är jag', example: 'vem är jag', summary: 'visar vem boten känner igen dig som', handle: whoami },
  { name: 'meetings', words: ['moten', 'mote', 'meetings', 'sammantraden'], sub: [], args: [], roles: EVERYONE, usage: 'möten', example: 'möten', summary: 'visar kommande sammanträden', handle: meetings },
  {
    name: 'items',
    words: ['arenden', 'arende', 'items', 'dagordningen'],
    sub: [],
    args: ['meeting'],
    roles: EVERYONE,
    usage: 'ärenden [möte <datum>]',
    example: 'ärenden möte 2027-02-18',
    summary: 'visar ärendena på nästa (eller ett visst) sammanträde',
    handle: items,
  },
];
