/**
 * The committee as configured by the secretary: members, meetings and ärenden.
 *
 * This is static configuration read from a committee file (YAML or JSON). What happens during
 * the year (declarations, questions, decisions) is recorded as events, see `records.ts`.
 * Every schema here is the one boundary check for a committee file: the loader in
 * `src/config` turns its errors into Swedish messages naming the file and the path.
 */
import { z } from 'zod';
import { deepFreeze } from './freeze';

export const PLATFORMS = ['console', 'slack', 'teams'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['ordförande', 'vice ordförande', 'ledamot', 'ersättare', 'sekreterare', 'handläggare'] as const;
export type Role = (typeof ROLES)[number];

/** Roles held by elected politicians: they take part in decisions, declare jäv, ask övriga frågor. */
export const ELECTED_ROLES: readonly Role[] = ['ordförande', 'vice ordförande', 'ledamot', 'ersättare'];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-02-13')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'datumet finns inte i kalendern',
  });

const clockTime = z
  .string()
  .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, 'skriv klockslaget som TT:MM, till exempel 09:00');

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'använd bara a–z, 0–9, punkt, bindestreck och understreck (inga å, ä, ö)');

const shortText = (max: number) => z.string().trim().min(1, 'får inte vara tomt').max(max, `får vara högst ${max} tecken`);

export const identitiesSchema = z
  .object({
    console: z.string().min(1).max(100).optional(),
    slack: z.array(z.string().min(1).max(100)).default([]),
    teams: z.array(z.string().min(1).max(200)).default([]),
  })
  .strict()
  .default({ slack: [], teams: [] });

export const memberSchema = z
  .object({
    id,
    name: shortText(120),
    party: z.string().trim().max(20).optional(),
    role: z.enum(ROLES, { message: `välj en av: ${ROLES.join(', ')}` }),
    identities: identitiesSchema,
  })
  .strict();
export type Member = z.infer<typeof memberSchema>;

export const ITEM_KINDS = ['beslut', 'information'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** An organisationsnummer: 556677-8899, 5566778899, or with the 16 prefix. */
const orgnr = z.string().trim().regex(/^(16)?\d{6}[-–]?\d{4}$/, 'skriv organisationsnumret som 556677-8899');

export const PARTY_KINDS = ['organisation', 'person', 'fastighet'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** Someone an ärende concerns: matched against members' engagements for jäv hints. */
export const partySchema = z
  .object({
    name: shortText(200),
    kind: z.enum(PARTY_KINDS, { message: 'välj organisation, person eller fastighet' }).default('organisation'),
    orgnr: orgnr.optional(),
  })
  .strict();
export type Party = z.infer<typeof partySchema>;

/** A company or foundation the municipality controls (kommunalt bolag eller stiftelse). */
export const controlledOrganisationSchema = z.object({ name: shortText(200), orgnr: orgnr.optional() }).strict();
export type ControlledOrganisation = z.infer<typeof controlledOrganisationSchema>;

export const itemSchema = z
  .object({
    /** The ärende's running number in the committee's register, e.g. "5/25". */
    lopnummer: z.string().trim().regex(/^\d{1,4}(\/\d{2,4})?$/, 'skriv löpnumret som 5 eller 5/25'),
    title: shortText(300),
    diarienummer: z.string().trim().max(60).optional(),
    /** Member id of the handläggare (an officer in the member list). */
    handlaggare: id.optional(),
    kind: z.enum(ITEM_KINDS, { message: 'välj beslut eller information' }).default('beslut'),
    beslutsunderlag: z.array(shortText(300)).default([]),
    forslagTillBeslut: z.string().trim().max(4000).optional(),
    sekretess: z.boolean().default(false),
    /** Who the ärende concerns (organisations, persons, property designations), for jäv hints. */
    parties: z.array(partySchema).max(50).optional(),
    /** Myndighetsutövning mot enskild: then a seat in a municipal company can be jäv too. */
    myndighetsutovning: z.boolean().optional(),
  })
  .strict();
export type Item = z.infer<typeof itemSchema>;

export const meetingSchema = z
  .object({
    id,
    date: isoDate,
    start: clockTime,
    end: clockTime.optional(),
    place: shortText(200),
    /** A justering date decided in advance ("senast den 17 januari"); otherwise the legal limit applies. */
    justeringDate: isoDate.optional(),
    /** The first § of this meeting, when it cannot be continued from an earlier draft (first meeting of the year). */
    firstParagraph: z.number().int().min(1).max(9999).optional(),
    items: z.array(itemSchema).default([]),
  })
  .strict();
export type Meeting = z.infer<typeof meetingSchema>;

export const settingsSchema = z
  .object({
    /** Övriga frågor announced later than this many hours before the meeting are marked late. */
    ovrigaFragorCutoffHours: z.number().int().min(0).max(24 * 30).default(48),
    /** Kallelse goes out this many days before the meeting (from the reglemente). */
    kallelseDaysBefore: z.number().int().min(1).max(30).default(7),
    /** Information items first or last among the ärenden. */
    informationItems: z.enum(['first', 'last']).default('first'),
    // Reminder settings are optional; their defaults live in src/domain/plan.ts (reminderSettings).
    /** Reminders go out only within these hours, Stockholm time. Default 08:00–17:00. */
    officeHours: z.object({ start: clockTime, end: clockTime }).strict().optional(),
    /** Remind the justerare and the ordförande when the protocol is ready for justering. Default true. */
    justeringReminderWhenReady: z.boolean().optional(),
    /** Justering reminders, in working days before the last day (0: that morning). Default [2, 0]. */
    justeringReminderDays: z.array(z.number().int().min(0).max(14)).max(5).optional(),
    /** The secretary's reminders, in working days before the last day for the kallelse. Default [2, 0]. */
    kallelseReminderDays: z.array(z.number().int().min(0).max(20)).max(5).optional(),
    /** Handläggare hand in tjänsteskrivelser this many working days before the meeting. Default 10. */
    tjansteskrivelseWorkingDays: z.number().int().min(1).max(60).optional(),
    /** Handläggare reminders, in working days before their last day. Default [3, 0]. */
    tjansteskrivelseReminderDays: z.array(z.number().int().min(0).max(20)).max(5).optional(),
    /** The § the year's first meeting starts at, when its meeting does not say. */
    firstParagraphOfYear: z.number().int().min(1).max(9999).default(1),
    /** Members (ids) who take turns to justera, in order; empty when the committee does not rotate. */
    justerareRotation: z.array(id).default([]),
    /** A folder with the committee's own templates (letterhead); the defaults in templates/ otherwise. */
    templates: z.string().min(1).max(500).optional(),
    /** Ersättare's tjänstgöringsordning as kommunfullmäktige decided: party → ersättare ids in order. */
    ersattareOrder: z.record(z.string().trim().min(1).max(20), z.array(id).max(30)).optional(),
    /** Hours an asked ersättare has to answer before the next one is asked. Default 24. */
    ersattareAnswerHours: z.number().int().min(1).max(24 * 14).optional(),
  })
  .strict()
  .default({ ovrigaFragorCutoffHours: 48, kallelseDaysBefore: 7, informationItems: 'first', firstParagraphOfYear: 1, justerareRotation: [] });
export type CommitteeSettings = z.infer<typeof settingsSchema>;

export const committeeSchema = z
  .object({
    id,
    name: shortText(200),
    shortName: z.string().trim().min(1).max(20),
    settings: settingsSchema,
    members: z.array(memberSchema).min(1, 'nämnden måste ha minst en ledamot'),
    /** Companies and foundations the municipality controls: a seat there is not in itself jäv. */
    kommunalaBolag: z.array(controlledOrganisationSchema).max(200).optional(),
    meetings: z.array(meetingSchema).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const memberIds = new Set<string>();
    c.members.forEach((m, i) => {
      if (memberIds.has(m.id)) ctx.addIssue({ code: 'custom', path: ['members', i, 'id'], message: `id "${m.id}" finns redan` });
      memberIds.add(m.id);
    });
    if (!c.members.some((m) => m.role === 'sekreterare')) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'nämnden saknar en sekreterare (role: sekreterare)' });
    }
    const seenIdentity = new Map<string, string>();
    c.members.forEach((m, i) => {
      const keys = [
        ...(m.identities.console ? [`console:${m.identities.console}`] : []),
        ...m.identities.slack.map((s) => `slack:${s}`),
        ...m.identities.teams.map((t) => `teams:${t}`),
      ];
      for (const key of keys) {
        const other = seenIdentity.get(key);
        if (other) ctx.addIssue({ code: 'custom', path: ['members', i, 'identities'], message: `identiteten ${key} används redan av ${other}` });
        seenIdentity.set(key, m.id);
      }
    });
    c.settings.justerareRotation.forEach((memberId, i) => {
      const m = c.members.find((x) => x.id === memberId);
      if (!m) ctx.addIssue({ code: 'custom', path: ['settings', 'justerareRotation', i], message: `"${memberId}" finns inte bland members` });
      else if (!ELECTED_ROLES.includes(m.role)) ctx.addIssue({ code: 'custom', path: ['settings', 'justerareRotation', i], message: `${m.name} är ${m.role} och kan inte justera` });
    });
    for (const [party, ids] of Object.entries(c.settings.ersattareOrder ?? {})) {
      const seen = new Set<string>();
      ids.forEach((memberId, i) => {
        const m = c.members.find((x) => x.id === memberId);
        const path = ['settings', 'ersattareOrder', party, i];
        if (!m) ctx.addIssue({ code: 'custom', path, message: `"${memberId}" finns inte bland members` });
        else if (m.role !== 'ersättare') ctx.addIssue({ code: 'custom', path, message: `${m.name} är ${m.role}, inte ersättare` });
        if (seen.has(memberId)) ctx.addIssue({ code: 'custom', path, message: `"${memberId}" står två gånger i ordningen för ${party}` });
        seen.add(memberId);
      });
    }
    const hours = c.settings.officeHours;
    if (hours && hours.start.replace('.', ':').padStart(5, '0') >= hours.end.replace('.', ':').padStart(5, '0')) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'officeHours'], message: 'kontorstiden måste börja före den slutar' });
    }
    const meetingIds = new Set<string>();
    c.meetings.forEach((meeting, mi) => {
      if (meetingIds.has(meeting.id)) ctx.addIssue({ code: 'custom', path: ['meetings', mi, 'id'], message: `id "${meeting.id}" finns redan` });
      meetingIds.add(meeting.id);
      if (meeting.justeringDate && meeting.justeringDate < meeting.date) {
        ctx.addIssue({ code: 'custom', path: ['meetings', mi, 'justeringDate'], message: 'justeringen kan inte ligga före sammanträdet' });
      }
      const lopnummer = new Set<string>();
      meeting.items.forEach((item, ii) => {
        if (lopnummer.has(item.lopnummer)) {
          ctx.addIssue({ code: 'custom', path: ['meetings', mi, 'items', ii, 'lopnummer'], message: `löpnummer ${item.lopnummer} finns redan på mötet` });
        }
        lopnummer.add(item.lopnummer);
        if (item.handlaggare && !memberIds.has(item.handlaggare)) {
          ctx.addIssue({ code: 'custom', path: ['meetings', mi, 'items', ii, 'handlaggare'], message: `handläggaren "${item.handlaggare}" finns inte bland members` });
        }
      });
    });
  });
export type Committee = z.infer<typeof committeeSchema>;

export function memberLabel(m: Pick<Member, 'name' | 'party'>): string {
  return m.party ? `${m.name} (${m.party})` : m.name;
}

export function isElected(m: Member): boolean {
  return ELECTED_ROLES.includes(m.role);
}

export function findMeeting(c: Committee, meetingId: string): Meeting | undefined {
  return c.meetings.find((m) => m.id === meetingId);
}

export function findMember(c: Committee, memberId: string): Member | undefined {
  return c.members.find((m) => m.id === memberId);
}

/** The one empty list every compacted committee shares. */
const NO_ENTRIES: never[] = Object.freeze([]) as never[];

/**
 * A validated committee laid out for a long life in memory, read-only: the bot holds every
 * committee it serves, thousands in a large installation. Rebuilt through JSON, so that every
 * object keeps its properties in itself, a text that occurs more than once in the committee is
 * kept once, and all empty lists are one frozen empty list: about a third smaller than the
 * schema's output. Frozen throughout: the committee file is configuration, nothing may change it.
 */
export function compactCommittee(committee: Committee): Committee {
  // The same text within one file (a handläggare on every ärende, ids as identities) is kept once.
  const seen = new Map<string, string>();
  const copy = JSON.parse(JSON.stringify(committee), (_key, value: unknown) => {
    if (typeof value === 'string') {
      const known = seen.get(value);
      if (known !== undefined) return known;
      seen.set(value, value);
      return value;
    }
    return Array.isArray(value) && value.length === 0 ? NO_ENTRIES : value;
  }) as Committee;
  return deepFreeze(copy);
}

