/**
 * The secretary acting for a member: "för amira.haddad: jäv 7/25 part". Members phone or e-mail
 * the secretary ("jag är jävig i 7/25"); she records it for them. The record is the member's (the
 * declaration's `memberId`) and its actor is the secretary (`actor.memberId`, `actor.via`), so the
 * diarium export shows both; the member is told privately what was recorded in their name.
 *
 * Only the sekreterare may, and only these commands: declaring and withdrawing jäv, förhinder and
 * övriga frågor. The rules are here, pure; `core.ts` calls them between parse and execute.
 */
import { findMember, memberLabel, PLATFORM_INFO, type Committee, type Member } from '../domain/committee';
import type { Via } from '../domain/records';
import { normalizeWord } from '../domain/text';
import type { CommandDef, Decision } from './context';
import { message, paragraph, type Message } from './message';
import { toAsker, toMember, type Outgoing } from './outgoing';
import type { ParsedCommand } from './parser';
import { refusal } from './handlers/common';

/** The commands the secretary may give for a member. */
export const ON_BEHALF_COMMANDS: readonly string[] = ['jav.declare', 'jav.withdraw', 'forhinder.report', 'forhinder.withdraw', 'fraga.announce', 'fraga.withdraw'];

export const ON_BEHALF_EXAMPLE = 'för amira.haddad: jäv 7/25 part';

/** "för amira.haddad: jäv 7/25 part" → the member word and the command text; anything else → undefined. */
export function splitOnBehalf(text: string): { member: string; rest: string } | undefined {
  const m = /^\s*\/?(?:för|for|f\u00f6r)\s+@?([^\s:]+)\s*:\s*([\s\S]*)$/i.exec(text.normalize('NFC'));
  if (!m) return undefined;
  return { member: m[1]!, rest: m[2]!.trim() };
}

export type OnBehalfCheck = { ok: true; target: Member } | { ok: false; reply: Outgoing; outcome: string };

/** Whether the secretary (`asker`, already the sekreterare of `committee`) may give this command for the member named. */
export function checkOnBehalf(committee: Committee, asker: Member, memberWord: string, command: ParsedCommand, def: CommandDef): OnBehalfCheck {
  if (asker.role !== 'sekreterare') {
    return { ok: false, outcome: 'forbidden', reply: refusal(`Bara sekreteraren kan registrera något åt en ledamot, och du är ${asker.role}. Skriv kommandot utan "för …:" så gäller det dig själv.`) };
  }
  if (!ON_BEHALF_COMMANDS.includes(def.name)) {
    return {
      ok: false,
      outcome: 'refused',
      reply: refusal(`Åt en ledamot kan du anmäla och återkalla jäv, förhinder och övriga frågor, till exempel: ${ON_BEHALF_EXAMPLE}. Inget har ändrats.`),
    };
  }
  if (command.fromForm) return { ok: false, outcome: 'refused', reply: refusal('Skriv kommandot som text efter "för <ledamotens id>:". Inget har ändrats.') };
  const target = findMember(committee, normalizeWord(memberWord));
  if (!target) {
    return { ok: false, outcome: 'refused', reply: refusal(`Det finns ingen ledamot med id "${memberWord}" i ${committee.name}. Id:t står i nämndfilen (members → id). Inget har ändrats.`) };
  }
  if (!def.roles.includes(target.role)) {
    return { ok: false, outcome: 'refused', reply: refusal(`${memberLabel(target)} är ${target.role}; det kan bara göras för ledamöter och ersättare. Inget har ändrats.`) };
  }
  return { ok: true, target };
}

/**
 * The handler decided as if the member had written; the replies meant for the asker go to the
 * secretary ("För Amira Haddad (V): …") and, for a recorded change, to the member privately. A
 * handler asking for missing arguments with a form is answered with the full command instead:
 * a form would come back as the secretary's own.
 */
export function onBehalfDecision(decision: Decision, committee: Committee, secretary: Member, target: Member, via: Via): Decision {
  const forAsker = decision.replies.filter((o) => o.audience.kind === 'asker');
  const others = decision.replies.filter((o) => o.audience.kind !== 'asker');
  if (decision.events.length === 0 && forAsker.some((o) => o.message.parts.some((p) => p.kind === 'form'))) {
    return { events: [], replies: [refusal(`Skriv hela kommandot, till exempel: ${ON_BEHALF_EXAMPLE}. Inget har ändrats.`)] };
  }
  const who = memberLabel(target);
  // Buttons would act as the secretary herself (her own "jäv återkalla J1"): left out of both copies.
  const plainParts = (m: Message) => m.parts.filter((p) => p.kind !== 'buttons' && p.kind !== 'form');
  const replies: Outgoing[] = forAsker.map((o) => toAsker(prefixed({ ...o.message, parts: plainParts(o.message) }, `För ${who}: `)));
  if (decision.events.length > 0) {
    const how = via === 'cli' || via === 'system' ? '' : ` i ${PLATFORM_INFO[via].label}`;
    for (const o of forAsker) {
      replies.push(
        toMember(
          committee.id,
          target.id,
          prefixed(
            { ...o.message, parts: [...plainParts(o.message), paragraph(`${memberLabel(secretary)} (sekreterare) registrerade det här åt dig${how}. Stämmer det inte, svara sekreteraren.`)] },
            'Registrerat åt dig av sekreteraren: ',
          ),
        ),
      );
    }
  }
  return { ...decision, replies: [...replies, ...others] };
}

function prefixed(m: Message, prefix: string): Message {
  return { ...m, text: `${prefix}${m.text}` };
}

/** For the secretary's hjälp. */
export const ON_BEHALF_HELP = `för <ledamotens id>: <kommando> — registrerar jäv, förhinder eller en övrig fråga åt en ledamot som hört av sig på annat sätt (och återkallar); ledamoten får veta det privat och exporten visar att du registrerade det. Exempel: ${ON_BEHALF_EXAMPLE}`;
