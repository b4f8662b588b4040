/**
 * App Home: built from the core's own answers, asked as the person who opened it.
 *
 * The adapter holds no rules about who sees what. It asks the core the read-only questions that
 * the command table lets this person ask (`commandsFor`), as text commands with fresh delivery
 * ids, and lays the answers out. A member thus sees their meetings, jäv declarations and övriga
 * frågor; the secretary (and the chair) the overview of all declarations and questions, and the
 * secretary the reminders about to go out (deadlines, justering) and an agenda button. Someone
 * the core does not know sees the core's answer for unknown users.
 */
import type { types } from '@slack/bolt';
import type { CommandName } from '../../src/core/commands';
import { commandsFor, type Core } from '../../src/core/core';
import type { Message } from '../../src/core/message';
import { LIMITS, HOME_REFRESH_ACTION, capBlocks, clip, encodeActionId, fitEscaped, renderBlocks } from './render';

type KnownBlock = types.KnownBlock;
type HomeView = types.HomeView;

export type HomeCore = Pick<Core, 'query' | 'identify'>;

/** The questions App Home asks, in order, each only if the person may ask it. */
export const HOME_QUERIES: readonly { command: CommandName; text: string }[] = [
  { command: 'meetings', text: 'möten' },
  { command: 'jav.list', text: 'jäv lista' },
  { command: 'fraga.list', text: 'övrig fråga lista' },
  { command: 'jav.overview', text: 'jäv översikt' },
  { command: 'fraga.all', text: 'övriga frågor' },
  { command: 'reminders.list', text: 'påminnelser' },
];

/** Buttons for what people do most; each starts the command, and the core answers with its form. */
export const HOME_ACTIONS: readonly { command: CommandName; label: string }[] = [
  { command: 'jav.declare', label: 'Anmäl jäv' },
  { command: 'fraga.announce', label: 'Anmäl övrig fråga' },
  { command: 'agenda.draft', label: 'Utkast till dagordning' },
];

export async function buildHome(core: HomeCore, userId: string): Promise<HomeView> {
  const ask = async (text: string): Promise<Message[]> => {
    // Look-ups only: nothing recorded, no rate-limit token spent.
    const replies = await core.query('slack', userId, text);
    return replies.map((r) => r.message);
  };

  const blocks: KnownBlock[] = [];
  const counter = { next: 0 };
  const memberships = await core.identify('slack', userId);
  if (memberships.length === 0) {
    // The core's own answer to someone it does not know (what to do, and their Slack id).
    for (const m of await ask('hjälp')) blocks.push(...renderBlocks(m, { counter }));
  }
  for (const { committee, member } of memberships) {
    const prefix = memberships.length > 1 ? `${committee.shortName} ` : '';
    const allowed = new Set(commandsFor(member).map((c) => c.name));
    blocks.push({ type: 'header', text: { type: 'plain_text', text: clip(committee.name, LIMITS.headerText), emoji: true } });
    for (const m of await ask(`${prefix}vem är jag`)) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: fitEscaped(m.text, LIMITS.contextText) }] });
    const actions = HOME_ACTIONS.filter((a) => allowed.has(a.command));
    if (actions.length) {
      blocks.push({
        type: 'actions',
        elements: actions.map((a) => ({
          type: 'button' as const,
          action_id: encodeActionId(a.command, counter.next++),
          text: { type: 'plain_text' as const, text: a.label },
          value: new URLSearchParams({ committee: committee.shortName }).toString(),
          style: 'primary' as const,
        })),
      });
    }
    const queries = HOME_QUERIES.filter((q) => allowed.has(q.command));
    const answers = await Promise.all(queries.map((q) => ask(`${prefix}${q.text}`)));
    for (const messages of answers) {
      for (const m of messages) {
        // The lead line is a heading when a list or buttons follow it.
        const lead = fitEscaped(m.text.trim() || ' ', 2900);
        blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: m.parts.length ? `*${lead}*` : lead } });
        blocks.push(...renderBlocks(m, { skipLead: true, counter }));
      }
    }
  }
  blocks.push({ type: 'divider' });
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', action_id: encodeActionId(HOME_REFRESH_ACTION, counter.next++), text: { type: 'plain_text', text: 'Uppdatera' }, value: 'home' }],
  });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Skriv `/namnd hjälp` för alla kommandon, eller skriv kommandon direkt till Nämndbot under fliken Meddelanden.' }] });
  return { type: 'home', blocks: capBlocks(blocks, LIMITS.blocksPerView, 'Allt får inte plats här. Skriv /namnd hjälp för att se kommandona.') };
}
