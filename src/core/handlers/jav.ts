/**
 * Jäv: declare, list, withdraw, and the secretary's and ordförande's overview.
 */
import { memberLabel, findMember, type Committee, type Item, type Meeting, type Member } from '../../domain/committee';
import { JAV_GROUND_INFO, JAV_GROUNDS, javProtocolSentence, lookupGround, NO_JAV_SENTENCE, type JavGround } from '../../domain/jav';
import { ersattareOrder, paragraphNumbers } from '../../domain/attendance';
import { activeDeclaration, activeDeclarations, isActive, type CommitteeState, type JavDeclaration } from '../../domain/state';
import { capitalize, cleanFreeText, count } from '../../domain/text';
import { formatDateLong } from '../../domain/time';
import { ELECTED, JAV_WORDS, LIST_WORDS, SECRETARY_AND_CHAIR, WITHDRAW_WORDS } from '../commands';
import { nextId, record, reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { buttons, fields, formPart, header, list, message, paragraph, type Form, type Part } from '../message';
import { toAsker } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { findItem, findMeeting, isHeld, itemLabel, meetingName, upcomingMeetingWithItem, upcomingMeetings } from '../refs';
import { actionValue, refusal } from './common';

export const MAX_MOTIVATION_CHARS = 1000;

export function declareJav(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, now, member } = ctx;
  const args = { ...cmd.args };
  // "jäv part 14/27": the ground written first.
  if (args.item && !args.ground && lookupGround(args.item).kind !== 'unknown') [args.item, args.ground] = [undefined, args.item];
  else if (args.item && args.ground && lookupGround(args.item).kind !== 'unknown' && lookupGround(args.ground).kind === 'unknown') {
    [args.item, args.ground] = [args.ground, args.item];
  }

  // "jäv 14/27 part": the upcoming meeting that has that löpnummer, when it is not the next one.
  const meetingFound = findMeeting(committee, args.meeting ?? upcomingMeetingWithItem(committee, args.item, now)?.id, now);
  if (!meetingFound.ok) return reply(refusal(meetingFound.reason));
  const meeting = meetingFound.value;
  if (isHeld(meeting, now)) {
    return reply(refusal(`${capitalize(meetingName(meeting))} är redan hållet, så jäv kan inte anmälas till det längre. Behöver protokollet rättas, kontakta sekreteraren.`));
  }

  const errors: Partial<Record<'item' | 'ground' | 'text', string>> = {};
  let item: Item | undefined;
  let candidatesNote: string | undefined;
  if (args.item) {
    const found = findItem(meeting, args.item, paragraphNumbers(state, meeting.id));
    if (found.ok) item = found.value;
    else {
      errors.item = found.reason;
      if (found.candidates) candidatesNote = found.candidates.map((i) => itemLabel(i)).join('; ');
    }
  }
  let ground: JavGround | undefined;
  let outdatedNote: string | undefined;
  if (args.ground) {
    const g = lookupGround(args.ground);
    if (g.kind === 'found') ground = g.ground;
    else if (g.kind === 'outdated') {
      ground = g.ground;
      outdatedNote = `"${g.said}" finns inte som jävsgrund sedan 2022; jag har tolkat det som ${JAV_GROUND_INFO[g.ground].label}.`;
    } else errors.ground = `"${args.ground}" är ingen jävsgrund. Välj part, ställföreträdare, tillsyn eller övrigt.`;
  }
  const motivation = args.text ? cleanFreeText(args.text) : undefined;
  if (motivation && motivation.length > MAX_MOTIVATION_CHARS) {
    errors.text = `Motiveringen är ${motivation.length} tecken lång; skriv högst ${MAX_MOTIVATION_CHARS}.`;
  }

  if (!item || !ground || errors.text) {
    // A typed command with a wrong ärende says so in words (with the candidates); a missing
    // argument, or anything wrong in a submitted form, comes back as the form with its errors.
    if (!cmd.fromForm && errors.item) {
      const parts = candidatesNote ? [list(candidatesNote.split('; '))] : [];
      return reply(refusal(errors.item, ...parts));
    }
    if (!cmd.fromForm && errors.ground && item) return reply(refusal(errors.ground, groundList()));
    return reply(toAsker(javForm(committee, meeting, { item, ground, motivation }, errors, candidatesNote)));
  }

  const existing = activeDeclaration(state, meeting.id, item.lopnummer, member.id);
  if (existing) {
    return reply(
      toAsker(
        message(
          `Du har redan anmält jäv i ärende ${itemLabel(item)} (${existing.id}). Inget ändrades.`,
          withdrawButtons(committee, [existing]),
        ),
      ),
    );
  }

  const declarationId = nextId('J', state.declarations);
  const text = `Jäv anmält i ärende ${itemLabel(item)} till ${meetingName(meeting)}.`;
  return record(
    [
      {
        type: 'jav.declared',
        declarationId,
        meetingId: meeting.id,
        lopnummer: item.lopnummer,
        memberId: member.id,
        ground,
        ...(motivation ? { motivation } : {}),
      },
    ],
    toAsker(
      message(
        text,
        fields(
          { label: 'Id', value: declarationId },
          { label: 'Ärende', value: itemLabel(item) },
          { label: 'Grund', value: JAV_GROUND_INFO[ground].label },
          ...(motivation ? [{ label: 'Motivering', value: motivation }] : []),
        ),
        ...(outdatedNote ? [paragraph(outdatedNote)] : []),
        paragraph('Du deltar inte i handläggningen av ärendet och lämnar rummet medan det behandlas. Sekreteraren ser din anmälan.'),
        withdrawButtons(committee, [{ id: declarationId }]),
      ),
    ),
  );
}

function groundList() {
  return list(JAV_GROUNDS.map((g) => `${JAV_GROUND_INFO[g].label}: ${JAV_GROUND_INFO[g].explanation}`), 'Jävsgrunderna enligt kommunallagen:');
}

function javForm(
  committee: Committee,
  meeting: Meeting,
  values: { item?: Item; ground?: JavGround; motivation?: string },
  errors: Partial<Record<'item' | 'ground' | 'text', string>>,
  candidatesNote: string | undefined,
) {
  const form: Form = {
    id: 'jav.declare',
    title: 'Anmäl jäv',
    submitLabel: 'Anmäl jäv',
    hidden: { committee: committee.id, meeting: meeting.id },
    fields: [
      {
        name: 'item',
        label: `Ärende (${meetingName(meeting)})`,
        kind: 'select',
        required: true,
        options: meeting.items.map((i) => ({ value: i.lopnummer, label: itemLabel(i) })),
        ...(values.item ? { value: values.item.lopnummer } : {}),
        ...(errors.item ? { error: candidatesNote ? `${errors.item} ${candidatesNote}` : errors.item } : {}),
      },
      {
        name: 'ground',
        label: 'Jävsgrund',
        kind: 'radio',
        required: true,
        options: JAV_GROUNDS.map((g) => ({ value: g, label: JAV_GROUND_INFO[g].label, description: JAV_GROUND_INFO[g].explanation })),
        ...(values.ground ? { value: values.ground } : {}),
        ...(errors.ground ? { error: errors.ground } : {}),
      },
      {
        name: 'text',
        label: 'Motivering',
        kind: 'textarea',
        required: false,
        maxLength: MAX_MOTIVATION_CHARS,
        placeholder: 'Till exempel: min make sitter i föreningens styrelse',
        ...(values.motivation ? { value: values.motivation } : {}),
        ...(errors.text ? { error: errors.text } : {}),
      },
    ],
  };
  const missing = [!values.item && !errors.item ? 'ärende' : undefined, !values.ground && !errors.ground ? 'jävsgrund' : undefined].filter(Boolean);
  const lead = Object.keys(errors).length
    ? 'Något behöver rättas innan jävet kan anmälas.'
    : `Fyll i ${missing.join(' och ')} för att anmäla jäv.`;
  return message(
    lead,
    formPart(form),
    paragraph(`Du kan också skriva allt på en rad, till exempel: jäv ${meeting.items[0]?.lopnummer ?? '14/27'} part Min make sitter i styrelsen`),
  );
}

function withdrawButtons(committee: Committee, declarations: Pick<JavDeclaration, 'id'>[]) {
  return buttons(
    ...declarations.map((d) => ({
      label: declarations.length > 1 ? `Återkalla ${d.id}` : 'Återkalla',
      actionId: 'jav.withdraw',
      value: actionValue(committee, { id: d.id }),
      command: `jäv återkalla ${d.id}`,
      style: 'danger' as const,
    })),
  );
}

function describeDeclaration(committee: Committee, d: JavDeclaration): string {
  const meeting = committee.meetings.find((m) => m.id === d.meetingId);
  const item = meeting?.items.find((i) => i.lopnummer === d.lopnummer);
  const what = item ? itemLabel(item) : d.lopnummer;
  const when = meeting ? formatDateLong(meeting.date) : d.meetingId;
  const status = isActive(d) ? '' : ' — återkallad';
  return `${d.id}: ${what}, ${when} (${JAV_GROUND_INFO[d.ground].label})${status}`;
}

export function listOwnJav(_cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const own = [...ctx.state.declarations.values()].filter((d) => d.memberId === ctx.member.id);
  if (own.length === 0) return reply(toAsker(message('Du har inga jävsanmälningar. Anmäl med till exempel: jäv 14/27 part')));
  const withdrawable = own.filter((d) => isActive(d) && isUpcoming(ctx, d.meetingId));
  return reply(
    toAsker(
      message(
        `Dina jävsanmälningar (${own.length}):`,
        list(own.map((d) => describeDeclaration(ctx.committee, d))),
        ...(withdrawable.length ? [withdrawButtons(ctx.committee, withdrawable)] : []),
      ),
    ),
  );
}

function isUpcoming(ctx: HandlerContext, meetingId: string): boolean {
  return upcomingMeetings(ctx.committee, ctx.now).some((m) => m.id === meetingId);
}

export function withdrawJav(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { state, member, committee } = ctx;
  const id = cmd.args.id?.toUpperCase();
  if (!id) return listOwnJav(cmd, ctx);
  const d = state.declarations.get(id);
  if (!d || d.memberId !== member.id) {
    return reply(refusal(`Du har ingen jävsanmälan med id ${id}. "jäv lista" visar dina anmälningar.`));
  }
  if (!isActive(d)) return reply(toAsker(message(`Jävsanmälan ${id} är redan återkallad. Inget ändrades.`)));
  if (!isUpcoming(ctx, d.meetingId)) {
    return reply(refusal(`Sammanträdet för ${id} är redan hållet, så anmälan står kvar. Kontakta sekreteraren om den blev fel.`));
  }
  return record(
    [{ type: 'jav.withdrawn', declarationId: id }],
    toAsker(message(`Jävsanmälan ${id} är återkallad. Den finns kvar i diariet som återkallad.`, list([describeDeclaration(committee, { ...d, withdrawnAt: ctx.now.toISOString() })]))),
  );
}

/**
 * The ersättare to ask first when `member` is jävig: the party's order (as kommunfullmäktige
 * decided), skipping anyone jävig in the same ärende and anyone already proposed for it.
 */
export function suggestErsattare(committee: Committee, state: CommitteeState, meetingId: string, lopnummer: string, member: Member, taken: ReadonlySet<string> = new Set()): Member | undefined {
  if (member.role === 'ersättare') return undefined;
  const javiga = new Set(activeDeclarations(state, meetingId).filter((d) => d.lopnummer === lopnummer).map((d) => d.memberId));
  return ersattareOrder(committee, member.party).find((m) => !javiga.has(m.id) && !taken.has(m.id));
}

export function javOverview(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const { committee, state, now } = ctx;
  const found = findMeeting(committee, cmd.args.meeting, now);
  if (!found.ok) return reply(refusal(found.reason));
  const meeting = found.value;
  const active = activeDeclarations(state, meeting.id);
  const withdrawn = [...state.declarations.values()].filter((d) => d.meetingId === meeting.id && !isActive(d));
  const title = `Jäv till ${meetingName(meeting)}`;
  if (active.length === 0) {
    return reply(toAsker(message(`${title}: inga anmälningar.`, paragraph(`Protokollstext: ${NO_JAV_SENTENCE}`))));
  }
  const parts: Part[] = [header(title)];
  for (const item of meeting.items) {
    const onItem = active.filter((d) => d.lopnummer === item.lopnummer);
    if (onItem.length === 0) continue;
    const taken = new Set<string>();
    parts.push(
      list(
        onItem.map((d) => {
          const m = findMember(committee, d.memberId);
          if (!m) return `${d.id}: okänd ledamot ${d.memberId}`;
          const ers = suggestErsattare(committee, state, meeting.id, item.lopnummer, m, taken);
          if (ers) taken.add(ers.id);
          const ersText = m.role === 'ersättare' ? '' : ers ? ` Förslag på ersättare: ${memberLabel(ers)}.` : ` Ingen ledig ersättare i turordningen för ${m.party ?? 'partiet'}.`;
          const why = `${JAV_GROUND_INFO[d.ground].label}${d.motivation ? `: ${d.motivation}` : ''}`;
          return `${javProtocolSentence(m)} (${d.id}, ${why}.)${ersText}`;
        }),
        `Ärende ${itemLabel(item)}`,
      ),
    );
  }
  return reply(
    toAsker(
      message(
        `${title}: ${count(active.length, 'anmälan', 'anmälningar')}${withdrawn.length ? `, ${withdrawn.length} ${withdrawn.length === 1 ? 'återkallad' : 'återkallade'}` : ''}.`,
        ...parts,
      ),
    ),
  );
}

export const javCommands: CommandDef[] = [
  {
    name: 'jav.declare',
    words: JAV_WORDS,
    sub: [],
    args: ['item', 'ground', 'text'],
    roles: ELECTED,
    usage: 'jäv <ärende> <grund> [motivering]',
    example: 'jäv 14/27 part Min make sitter i föreningens styrelse',
    summary: 'anmäler jäv i ett ärende (ärende: löpnummer, § eller ett ord ur rubriken; grund: part, ställföreträdare, tillsyn eller övrigt)',
    handle: declareJav,
  },
  { name: 'jav.list', words: JAV_WORDS, sub: LIST_WORDS, args: [], roles: ELECTED, usage: 'jäv lista', example: 'jäv lista', summary: 'visar dina jävsanmälningar', handle: listOwnJav },
  { name: 'jav.withdraw', words: JAV_WORDS, sub: WITHDRAW_WORDS, args: ['id'], roles: ELECTED, usage: 'jäv återkalla <id>', example: 'jäv återkalla J3', summary: 'återkallar en av dina jävsanmälningar', handle: withdrawJav },
  {
    name: 'jav.overview',
    words: JAV_WORDS,
    sub: ['oversikt', 'alla', 'overview', 'all'],
    args: ['meeting'],
    roles: SECRETARY_AND_CHAIR,
    usage: 'jäv översikt [möte <datum>]',
    example: 'jäv översikt',
    summary: 'visar alla jävsanmälningar per ärende, med protokollstext',
    handle: javOverview,
  },
];
