/**
 * Records: everything that happens to a committee is an appended event, never an update.
 *
 * This gives the public-records duties for free: a declaration, its withdrawal and the
 * secretary's decisions are each their own record with who, when and through which adapter,
 * and the export for the diarium is the list itself. Current state is a fold of the events
 * (see `state.ts`). Each committee is one stream; `seq` is the event's 1-based position in it.
 *
 * Adding an event type: add its payload schema to `eventPayloadSchema` and its effect to
 * `applyEvent` in `state.ts`. Never change the meaning of a stored type; add a new one.
 */
import { z } from 'zod';
import { JAV_GROUNDS } from './jav';
import { ENGAGEMENT_KINDS } from './interests';
import { itemSchema, PLATFORMS } from './committee';

export const CHANNELS = [...PLATFORMS, 'system', 'cli'] as const;
/** Through which adapter (or the scheduler, or the command line) a record was made. */
export type Via = (typeof CHANNELS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const PAYLOADS = [
  z.object({
    type: z.literal('jav.declared'),
    declarationId: z.string(),
    meetingId: z.string(),
    lopnummer: z.string(),
    memberId: z.string(),
    ground: z.enum(JAV_GROUNDS),
    motivation: z.string().optional(),
  }),
  z.object({ type: z.literal('jav.withdrawn'), declarationId: z.string() }),
  z.object({
    type: z.literal('fraga.announced'),
    questionId: z.string(),
    meetingId: z.string(),
    memberId: z.string(),
    text: z.string(),
    /** Announced after the committee's cut-off. */
    late: z.boolean(),
  }),
  z.object({ type: z.literal('fraga.withdrawn'), questionId: z.string() }),
  z.object({ type: z.literal('fraga.accepted'), questionId: z.string() }),
  z.object({ type: z.literal('fraga.declined'), questionId: z.string(), reason: z.string() }),
  z.object({ type: z.literal('fraga.moved'), questionId: z.string(), fromMeetingId: z.string(), toMeetingId: z.string(), late: z.boolean() }),
  z.object({
    /** The secretary recorded the justerare and the date the protocol must be justerat by. */
    type: z.literal('justering.recorded'),
    meetingId: z.string(),
    justerare: z.array(z.string()),
    dueDate: isoDate,
    /** When the protocol is ready for signing, if known. */
    readyDate: isoDate.optional(),
  }),
  z.object({ type: z.literal('justering.signed'), meetingId: z.string(), memberId: z.string() }),
  z.object({ type: z.literal('anslag.recorded'), meetingId: z.string(), postedDate: isoDate }),
  z.object({ type: z.literal('reminder.sent'), reminderId: z.string(), recipientId: z.string() }),
  z.object({ type: z.literal('reminder.dropped'), reminderId: z.string(), reason: z.string() }),
  z.object({
    /** A draft of the kallelse and dagordning: its § range and the agenda as built, for the next version's diff. */
    type: z.literal('agenda.drafted'),
    meetingId: z.string(),
    version: z.number().int().positive(),
    firstParagraph: z.number().int().positive(),
    lastParagraph: z.number().int().nonnegative(),
    agenda: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal('identity.linked'),
    memberId: z.string(),
    platform: z.enum(PLATFORMS),
    platformUserId: z.string(),
    /** Absent: the secretary linked it (`koppla`). email: the platform gave the account the member's e-mail address in the committee file. */
    foundBy: z.literal('email').optional(),
  }),
  // Förhinder and the ersättare chain (src/core/handlers/forhinder.ts).
  z.object({
    /** A member cannot attend the meeting, or these ärenden of it (empty: the whole meeting). */
    type: z.literal('forhinder.reported'),
    forhinderId: z.string(),
    meetingId: z.string(),
    memberId: z.string(),
    lopnummer: z.array(z.string()),
  }),
  z.object({ type: z.literal('forhinder.withdrawn'), forhinderId: z.string() }),
  z.object({
    /** An ersättare was asked to serve for a förhinder; unanswered by `deadline`, the next is asked. */
    type: z.literal('ersattare.asked'),
    askId: z.string(),
    forhinderId: z.string(),
    ersattareId: z.string(),
    deadline: z.string().datetime({ offset: true }),
  }),
  z.object({ type: z.literal('ersattare.accepted'), askId: z.string() }),
  /** Declined, or an accepted ask called off by the ersättare (återbud). */
  z.object({ type: z.literal('ersattare.declined'), askId: z.string(), reason: z.string().optional() }),
  z.object({ type: z.literal('ersattare.timedOut'), askId: z.string() }),
  /** Nobody left to ask for a förhinder; the secretary was told. */
  z.object({ type: z.literal('ersattare.exhausted'), forhinderId: z.string() }),
  // The register of interests (src/core/handlers/interests.ts); private to the member, the secretary and the ordförande.
  z.object({
    type: z.literal('interest.recorded'),
    interestId: z.string(),
    memberId: z.string(),
    kind: z.enum(ENGAGEMENT_KINDS),
    name: z.string(),
    /** Ten digits. */
    orgnr: z.string().optional(),
  }),
  z.object({ type: z.literal('interest.removed'), interestId: z.string() }),
  // Meetings and ärenden kept by the secretary in chat or by import, on top of the committee file
  // (src/domain/meeting-records.ts folds them into the one view every reader uses).
  z.object({
    type: z.literal('meeting.added'),
    meetingId: z.string(),
    date: isoDate,
    /** Absent when not known (a mötesbok may give no time). */
    start: z.string().optional(),
    end: z.string().optional(),
    place: z.string(),
  }),
  /** An ärende added to a meeting, before the one with löpnummer `before` (absent: last). */
  z.object({ type: z.literal('item.added'), meetingId: z.string(), item: itemSchema, before: z.string().optional() }),
  z.object({ type: z.literal('item.retitled'), meetingId: z.string(), lopnummer: z.string(), title: z.string() }),
  /** Moved to just before the ärende `before` (absent: last). */
  z.object({ type: z.literal('item.moved'), meetingId: z.string(), lopnummer: z.string(), before: z.string().optional() }),
  z.object({ type: z.literal('item.removed'), meetingId: z.string(), lopnummer: z.string() }),
  z.object({ type: z.literal('item.sekretess'), meetingId: z.string(), lopnummer: z.string(), sekretess: z.boolean() }),
  /** An ärendelista imported from a file (its name in `source`): it replaces the meeting's ärenden, in this order. */
  z.object({ type: z.literal('items.imported'), meetingId: z.string(), source: z.string(), items: z.array(itemSchema) }),
  /** Jäv hints sent to a member for one ärende: the match keys, so the same hint is not sent twice. */
  z.object({ type: z.literal('javhint.sent'), meetingId: z.string(), lopnummer: z.string(), memberId: z.string(), keys: z.array(z.string()) }),
  // The meeting as it happened, recorded by the secretary for the protokoll (src/core/handlers/protokoll.ts).
  // Items are agenda item keys ("arende:7/27", "justerare"), so a § renumbered later still points right.
  z.object({
    /** Who was present in which §§: a member or tjänsteperson by id, or anyone else by name and befattning. A later record for the same person replaces this one. */
    type: z.literal('narvaro.recorded'),
    meetingId: z.string(),
    personId: z.string().optional(),
    name: z.string().optional(),
    befattning: z.string().optional(),
    /** null: the whole meeting; empty: not present. */
    items: z.array(z.string()).nullable(),
  }),
  z.object({
    /** An ersättare served in a ledamot's place in these items (empty: not at all); replaces an earlier record for the pair. */
    type: z.literal('tjanstgoring.recorded'),
    meetingId: z.string(),
    ersattareId: z.string(),
    forMemberId: z.string(),
    items: z.array(z.string()),
  }),
  z.object({
    /** The decision in one item; a later record replaces it. */
    type: z.literal('beslut.recorded'),
    meetingId: z.string(),
    itemKey: z.string(),
    outcome: z.enum(['enligtForslag', 'text', 'aterremiss', 'bordlaggning']),
    text: z.string().optional(),
  }),
  z.object({ type: z.literal('votering.recorded'), meetingId: z.string(), itemKey: z.string(), ja: z.number().int().min(0), nej: z.number().int().min(0), avstar: z.number().int().min(0), text: z.string().optional() }),
  z.object({
    /** A yrkande, reservation or protokollsanteckning by a member in one item; `removed` takes it back. */
    type: z.literal('protokoll.noted'),
    meetingId: z.string(),
    itemKey: z.string(),
    kind: z.enum(['yrkande', 'reservation', 'protokollsanteckning']),
    memberId: z.string(),
    text: z.string().optional(),
    removed: z.boolean().optional(),
  }),
  z.object({ type: z.literal('expediering.recorded'), meetingId: z.string(), itemKey: z.string(), recipients: z.array(z.string()) }),
  z.object({ type: z.literal('beskrivning.recorded'), meetingId: z.string(), itemKey: z.string(), text: z.string() }),
  /**
   * A § kept out of the public version of the protokoll (`excluded: true`; 000 leaves out § 23), or
   * put back (`false`). The private version keeps it; a sekretess § is left out without this.
   */
  z.object({ type: z.literal('protokoll.excluded'), meetingId: z.string(), itemKey: z.string(), excluded: z.boolean() }),
  z.object({
    /** A protokoll draft: the model as built (src/domain/protokoll.ts), for the next version's diff. */
    type: z.literal('protokoll.drafted'),
    meetingId: z.string(),
    version: z.number().int().positive(),
    protokoll: z.record(z.string(), z.unknown()),
  }),
  /** The draft was sent to the justerare and the ordförande for justering. */
  z.object({ type: z.literal('protokoll.sent'), meetingId: z.string(), version: z.number().int().positive(), recipients: z.array(z.string()) }),
  /** A justerare's (or the ordförande's) comment on the draft, for the secretary. */
  z.object({ type: z.literal('protokoll.commented'), meetingId: z.string(), memberId: z.string(), text: z.string() }),
] as const;

export const eventPayloadSchema = z.discriminatedUnion('type', PAYLOADS);
export type EventPayload = z.infer<typeof eventPayloadSchema>;
export type EventType = EventPayload['type'];

export const actorSchema = z.object({
  /** The member who acted; absent for the scheduler and the command line. */
  memberId: z.string().optional(),
  via: z.enum(CHANNELS),
});
export type Actor = z.infer<typeof actorSchema>;

const envelopeSchema = z.object({
  /** Globally unique id of this record. */
  id: z.string().min(1),
  /** ISO 8601 instant. */
  at: z.string().datetime({ offset: true }),
  actor: actorSchema,
});

// Each event type is one flat object (envelope fields included): a discriminated union of flat
// objects validates several times faster than an intersection, and the Store validates every
// record it writes and reads.
function withEnvelope(extra: z.ZodRawShape) {
  const members = PAYLOADS.map((p) => p.extend(envelopeSchema.shape).extend(extra));
  return z.discriminatedUnion('type', members as unknown as [(typeof members)[number], ...(typeof members)[number][]]);
}

/** An event as the core hands it to the Store: everything but its position. */
export type NewEvent = z.infer<typeof envelopeSchema> & EventPayload;
// Built from the same PAYLOADS and envelope as the type, so the cast only restores inference.
export const newEventSchema = withEnvelope({}) as unknown as z.ZodType<NewEvent>;

/** An event as read back from the Store. */
export type StoredEvent = NewEvent & { seq: number };
export const storedEventSchema = withEnvelope({ seq: z.number().int().positive() }) as unknown as z.ZodType<StoredEvent>;

export type EventOf<T extends EventType> = Extract<StoredEvent, { type: T }>;
