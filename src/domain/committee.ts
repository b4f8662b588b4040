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

/**
 * The chat platforms a committee file may name identities on. The core knows a platform only by
 * this id (a string in the data); what a platform is, its adapter in adapters/<id>/ knows.
 */
export const PLATFORMS = ['console', 'slack', 'teams'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * What the core needs to know of each platform: how people call it; whether its accounts are
 * linked in chat (`koppla`; a console id is chosen at start); whether its users are rate-limited
 * (the console is the operator's own terminal, and scripts fed to it).
 */
export const PLATFORM_INFO: Readonly<Record<Platform, { label: string; linkedInChat: boolean; rateLimited: boolean }>> = {
  console: { label: 'terminalen', linkedInChat: false, rateLimited: false },
  slack: { label: 'Slack', linkedInChat: true, rateLimited: true },
  teams: { label: 'Teams', linkedInChat: true, rateLimited: true },
};

export function isPlatform(channel: string): channel is Platform {
  return (PLATFORMS as readonly string[]).includes(channel);
}

/** One account of a person on one platform. */
export interface PlatformIdentity {
  platform: Platform;
  platformUserId: string;
}

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

/**
 * YAML reads `start: 9.00` as the number 9 and `13.30` as 13.3: the Swedish way of writing a
 * time, so it is taken as one (9 → "9:00", 13.3 → "13:30") instead of failing on the type.
 */
function numberAsClock(value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return value;
  const hours = Math.floor(value);
  const minutes = Math.round((value - hours) * 100);
  return `${hours}:${String(minutes).padStart(2, '0')}`;
}

const clockTime = z.preprocess(
  numberAsClock,
  z
    .string()
    .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, 'skriv klockslaget som "9.00" eller "09:00" (timmar 0–23, minuter 00–59)'),
);

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'använd bara a–z, 0–9, punkt, bindestreck och understreck (inga å, ä, ö)');

/**
 * A person's e-mail address (or user principal name): an account on a chat platform with the same
 * address is linked to them the first time they write or are reached (src/core/email-link.ts).
 * Compared in lower case.
 */
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'får vara högst 254 tecken')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'skriv e-postadressen som namn@kommun.se');

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
    /** Job title for officers in the member list (the sekreterare as föredragande): "Nämndsekreterare". */
    befattning: shortText(120).optional(),
    identities: identitiesSchema,
    /** Instead of (or besides) platform ids: the account with this address is linked when found. */
    email: email.optional(),
  })
  .strict();
export type Member = z.infer<typeof memberSchema>;

/** A member's accounts as the committee file gives them, in the file's platform order, whatever the platforms are. */
export function fileIdentities(member: Pick<Member, 'identities'>): PlatformIdentity[] {
  const out: PlatformIdentity[] = [];
  for (const platform of PLATFORMS) {
    const ids: string | readonly string[] | undefined = member.identities[platform];
    for (const platformUserId of typeof ids === 'string' ? [ids] : (ids ?? [])) out.push({ platform, platformUserId });
  }
  return out;
}

/**
 * A tjänsteperson (officer) who prepares or presents ärenden: handläggare, beredningsansvarig,
 * föredragande. Kept in a list of its own, apart from the ledamöter and ersättare: an officer
 * takes no part in decisions, is not counted for quorum and declares no jäv as a member. The
 * role is always handläggare, so that `findMember` can hand one to the reminder planner and
 * the delivery like any member (they get the tjänsteskrivelse reminders).
 */
export const tjanstepersonSchema = z
  .object({
    id,
    name: shortText(120),
    /** "Säkerhetschef", "Jämställdhetsstrateg". */
    befattning: shortText(120).optional(),
    role: z.literal('handläggare', { message: 'en tjänsteperson har alltid rollen handläggare; ta bort raden eller flytta personen till members' }).default('handläggare'),
    identities: identitiesSchema,
    /** Instead of (or besides) platform ids: the account with this address is linked when found. */
    email: email.optional(),
  })
  .strict();
export type Tjansteperson = z.infer<typeof tjanstepersonSchema>;

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

/**
 * The standard items of an agenda, in today's default order. Upprop and avslutning carry no §
 * by default; the others do. A committee lists its own choice in settings.agenda.
 */
export const STANDARD_ITEMS = ['upprop', 'justerare', 'justering', 'jav', 'ovrigaFragorAnmalan', 'dagordning', 'ovrigaFragor', 'avslutning'] as const;
export type StandardItem = (typeof STANDARD_ITEMS)[number];

/**
 * Who prepared or presents an ärende: one id or a list of ids from members or tjanstepersoner.
 * Checked against the people in the committee's superRefine, which can suggest the id for a name.
 */
const personRefs = z.union([z.string().trim(), z.array(z.string().trim()).max(10, 'högst 10 personer per ärende')]);

export const itemSchema = z
  .object({
    /** The ärende's running number in the committee's register, e.g. "5/25". */
    lopnummer: z.string().trim().regex(/^\d{1,4}(\/\d{2,4})?$/, 'skriv löpnumret som 5 eller 5/25'),
    title: shortText(300),
    diarienummer: z.string().trim().max(60).optional(),
    /** Id(s) of the handläggare / beredningsansvariga: tjanstepersoner or members. */
    handlaggare: personRefs.optional(),
    /** Id(s) of who presents the ärende at the meeting, when not the handläggare. */
    foredragande: personRefs.optional(),
    /** The standard agenda item this ärende stands for (001's "Tid för justering" with its Dnr): it replaces it. */
    ersatter: z.enum(STANDARD_ITEMS, { message: `välj en av: ${STANDARD_ITEMS.join(', ')}` }).optional(),
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
    /** Optional: a mötesbok may give no time. Deadlines then count from the start of the day. */
    start: clockTime.optional(),
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

/** One opening or closing item: a standard one (`item`), or the committee's own (`title`). */
export const agendaEntrySchema = z
  .object({
    item: z.enum(STANDARD_ITEMS, { message: `välj en av: ${STANDARD_ITEMS.join(', ')}` }).optional(),
    /** The heading as the committee words it: "Val av justerare och tid för justering". */
    title: shortText(200).optional(),
    /** Whether the item carries a §. Default: true, except upprop and avslutning. */
    paragraph: z.boolean().optional(),
    /** The committee's own item: the sentence printed under the heading. */
    text: z.string().trim().min(1, 'får inte vara tomt').max(1000, 'får vara högst 1000 tecken').optional(),
  })
  .strict();
export type AgendaEntry = z.infer<typeof agendaEntrySchema>;

export const INFORMATION_ORDERS = ['first', 'last', 'asListed'] as const;

export const agendaSettingsSchema = z
  .object({
    /** Items before the ärenden, in order. Default: upprop, justerare, justering, jav, ovrigaFragorAnmalan, dagordning. */
    opening: z.array(agendaEntrySchema).max(20).optional(),
    /** Items after the ärenden, in order. Default: ovrigaFragor, avslutning. */
    closing: z.array(agendaEntrySchema).max(20).optional(),
  })
  .strict();
export type AgendaSettings = z.infer<typeof agendaSettingsSchema>;

export const JUSTERING_RULES = ['legalMaximum', 'nextWorkingDay', 'workingDays', 'weekday'] as const;
export type JusteringRule = (typeof JUSTERING_RULES)[number];
export const WEEKDAYS = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** How the committee justerar: where ("digitalt", or a place as it reads in the sentence) and the proposed date. */
export const justeringSettingsSchema = z
  .object({
    /** "digitalt", or the place as it reads after "Protokollet justeras": "på kommunledningskontoret". */
    where: shortText(200).optional(),
    /** legalMaximum (default: 14 days), nextWorkingDay, workingDays (with workingDays) or weekday (with weekday). */
    rule: z.enum(JUSTERING_RULES, { message: `välj en av: ${JUSTERING_RULES.join(', ')}` }).default('legalMaximum'),
    workingDays: z.number().int().min(1).max(10).optional(),
    weekday: z.enum(WEEKDAYS, { message: `välj en av: ${WEEKDAYS.join(', ')}` }).optional(),
  })
  .strict();
export type JusteringSettings = z.infer<typeof justeringSettingsSchema>;

export const settingsSchema = z
  .object({
    /** Övriga frågor announced later than this many hours before the meeting are marked late. */
    ovrigaFragorCutoffHours: z.number().int().min(0).max(24 * 30).default(48),
    /** Kallelse goes out this many days before the meeting (from the reglemente). */
    kallelseDaysBefore: z.number().int().min(1).max(30).default(7),
    /** Information items first or last among the ärenden, or asListed: the order of the file, information and beslut mixed. */
    informationItems: z.enum(INFORMATION_ORDERS).default('first'),
    /** The agenda's opening and closing items; today's layout when left out. */
    agenda: agendaSettingsSchema.optional(),
    /** How the committee justerar and which date the agenda proposes. */
    justering: justeringSettingsSchema.optional(),
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
    /** The § the year's first meeting starts at, when its meeting does not say. Unset: § 1, with a warning. */
    firstParagraphOfYear: z.number().int().min(1).max(9999).optional(),
    /** Members (ids) who take turns to justera, in order; empty when the committee does not rotate. */
    justerareRotation: z.array(id).default([]),
    /** A folder with the committee's own templates (letterhead); the defaults in templates/ otherwise. */
    templates: z.string().min(1).max(500).optional(),
    /** Ersättare's tjänstgöringsordning as kommunfullmäktige decided: party → ersättare ids in order. */
    ersattareOrder: z.record(z.string().trim().min(1).max(20), z.array(id).max(30)).optional(),
    /** Hours an asked ersättare has to answer before the next one is asked. Default 24. */
    ersattareAnswerHours: z.number().int().min(1).max(24 * 14).optional(),
    /** How the protokoll names the nämnd and where it is kept (the anslagsbevis). */
    protokoll: z
      .object({
        /** As it reads before "beslutar:": "Jämställdhetsdelegationen". Default: the committee's name. */
        organ: shortText(200).optional(),
        /** "Kommunledningsförvaltningen, Stadshuset": förvaringsplats för protokollet. */
        forvaringsplats: shortText(300).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .default({ ovrigaFragorCutoffHours: 48, kallelseDaysBefore: 7, informationItems: 'first', justerareRotation: [] });
export type CommitteeSettings = z.infer<typeof settingsSchema>;

export const committeeSchema = z
  .object({
    id,
    name: shortText(200),
    shortName: z.string().trim().min(1).max(20),
    /** The kommun or region, as it heads the kallelse: "Sjöbacka kommun", "Region Norrbotten". */
    kommun: shortText(120).optional(),
    settings: settingsSchema,
    members: z.array(memberSchema).min(1, 'nämnden måste ha minst en ledamot'),
    /** Officers who prepare and present ärenden (handläggare, föredragande), apart from the members. */
    tjanstepersoner: z.array(tjanstepersonSchema).max(500).default([]),
    /** Companies and foundations the municipality controls: a seat there is not in itself jäv. */
    kommunalaBolag: z.array(controlledOrganisationSchema).max(200).optional(),
    meetings: z.array(meetingSchema).default([]),
  })
  .strict()
  // Runs even when other parts of the file are wrong, so that one run lists every problem; a
  // value left malformed by those problems is skipped (its own problem is already reported).
  .superRefine(
    (c, ctx) => {
      try {
        checkReferences(c as Committee, ctx);
      } catch {
        // Malformed by a problem reported elsewhere in the file.
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type Committee = z.infer<typeof committeeSchema>;

/**
 * Ids that must match, names that must be unique, settings that need each other. Each part runs
 * on its own: a part left malformed by a problem reported elsewhere is skipped, the rest still
 * say what they find. Person ids are checked only when the people themselves could be read.
 */
function checkReferences(c: Committee, ctx: z.RefinementCtx): void {
  const part = (check: () => void): boolean => {
    try {
      check();
      return true;
    } catch {
      return false;
    }
  };
  const personIdsSeen = new Set<string>();
  const peopleRead = part(() => {
    c.members.forEach((m, i) => {
      if (personIdsSeen.has(m.id)) ctx.addIssue({ code: 'custom', path: ['members', i, 'id'], message: `id "${m.id}" finns redan` });
      personIdsSeen.add(m.id);
    });
    c.tjanstepersoner.forEach((t, i) => {
      if (personIdsSeen.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tjanstepersoner', i, 'id'], message: `id "${t.id}" finns redan` });
      personIdsSeen.add(t.id);
    });
    // A member whose role is misspelt may be the sekreterare: that problem is reported on its own.
    if (c.members.every((m) => ROLES.includes(m.role)) && !c.members.some((m) => m.role === 'sekreterare')) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'nämnden saknar en sekreterare (role: sekreterare)' });
    }
  });
  part(() => {
    const seenIdentity = new Map<string, string>();
    const people: { m: Member | Tjansteperson; path: (string | number)[] }[] = [
      ...c.members.map((m, i) => ({ m, path: ['members', i, 'identities'] })),
      ...c.tjanstepersoner.map((m, i) => ({ m, path: ['tjanstepersoner', i, 'identities'] })),
    ];
    people.forEach(({ m, path }) => {
      for (const { platform, platformUserId } of fileIdentities(m)) {
        const key = `${platform}:${platformUserId}`;
        const other = seenIdentity.get(key);
        if (other) ctx.addIssue({ code: 'custom', path, message: `identiteten ${key} används redan av ${other}` });
        seenIdentity.set(key, m.id);
      }
    });
  });
  part(() => {
    c.settings.justerareRotation.forEach((memberId, i) => {
      const m = c.members.find((x) => x.id === memberId);
      if (!m) ctx.addIssue({ code: 'custom', path: ['settings', 'justerareRotation', i], message: `"${memberId}" finns inte bland members` });
      else if (!ELECTED_ROLES.includes(m.role)) ctx.addIssue({ code: 'custom', path: ['settings', 'justerareRotation', i], message: `${m.name} är ${m.role} och kan inte justera` });
    });
  });
  part(() => {
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
  });
  part(() => {
    const hours = c.settings.officeHours;
    if (hours && hours.start.replace('.', ':').padStart(5, '0') >= hours.end.replace('.', ':').padStart(5, '0')) {
      ctx.addIssue({ code: 'custom', path: ['settings', 'officeHours'], message: 'kontorstiden måste börja före den slutar' });
    }
  });
  const meetingIds = new Set<string>();
  part(() => c.meetings.forEach((meeting, mi) =>
    part(() => {
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
        for (const key of ['handlaggare', 'foredragande'] as const) {
          const refs = item[key];
          const list = refs === undefined ? [] : typeof refs === 'string' ? [refs] : refs;
          list.forEach((ref, ri) => {
            if (!peopleRead || typeof ref !== 'string' || personIdsSeen.has(ref)) return;
            const path = ['meetings', mi, 'items', ii, key, ...(typeof refs === 'string' ? [] : [ri])];
            ctx.addIssue({ code: 'custom', path, message: unknownPersonMessage(key, ref, c) });
          });
        }
        if (item.ersatter) {
          const other = meeting.items.findIndex((x, xi) => xi < ii && x.ersatter === item.ersatter);
          if (other >= 0) ctx.addIssue({ code: 'custom', path: ['meetings', mi, 'items', ii, 'ersatter'], message: `ärende ${meeting.items[other]!.lopnummer} ersätter redan ${item.ersatter}` });
        }
      });
    }),
  ));
  part(() => {
    for (const where of ['opening', 'closing'] as const) {
      (c.settings.agenda?.[where] ?? []).forEach((entry, i) => {
        const path = ['settings', 'agenda', where, i];
        if (!entry.item && !entry.title) ctx.addIssue({ code: 'custom', path, message: 'ange item (en standardpunkt) eller title (nämndens egen punkt)' });
        if (entry.item && entry.text) ctx.addIssue({ code: 'custom', path: [...path, 'text'], message: `text gäller bara nämndens egna punkter; texten under ${entry.item} skriver Nämndbot` });
      });
    }
    const standard = [...(c.settings.agenda?.opening ?? []), ...(c.settings.agenda?.closing ?? [])].map((e) => e.item).filter(Boolean);
    const twice = standard.filter((x, i) => standard.indexOf(x) !== i);
    for (const item of new Set(twice)) ctx.addIssue({ code: 'custom', path: ['settings', 'agenda'], message: `${item} står två gånger i dagordningen` });
  });
  part(() => {
    const j = c.settings.justering;
    if (j?.rule === 'workingDays' && j.workingDays === undefined) ctx.addIssue({ code: 'custom', path: ['settings', 'justering'], message: 'rule: workingDays behöver workingDays: antal arbetsdagar efter sammanträdet, till exempel workingDays: 3' });
    if (j?.rule === 'weekday' && j.weekday === undefined) ctx.addIssue({ code: 'custom', path: ['settings', 'justering'], message: 'rule: weekday behöver weekday: veckodagen, till exempel weekday: fredag' });
  });
}

/**
 * Why an item's handlaggare/foredragande does not resolve, saying what to write instead: a name
 * written where an id belongs gets the id of the person with that name.
 */
function unknownPersonMessage(key: 'handlaggare' | 'foredragande', ref: string, c: { members: readonly Member[]; tjanstepersoner: readonly Tjansteperson[] }): string {
  const who = key === 'handlaggare' ? 'handläggaren' : 'föredraganden';
  const fold = (s: string) => s.normalize('NFKC').toLocaleLowerCase('sv').replace(/\s+/g, ' ').trim();
  const wanted = fold(ref);
  const people = [...c.tjanstepersoner, ...c.members];
  const match = people.find((p) => fold(p.name) === wanted) ?? people.find((p) => fold(p.id) === wanted.replace(/ /g, '.'));
  const isName = /\s/.test(ref.trim()) || /[A-ZÅÄÖ]/.test(ref) || /[åäö]/i.test(ref);
  if (match) return `"${ref}" är inget id – skriv personens id: ${key}: ${match.id}`;
  if (isName) return `"${ref}" är inget id – ${key} ska vara id:t för en person under tjanstepersoner eller members (till exempel ${key}: ${suggestId(ref)}); lägg till personen under tjanstepersoner om hen saknas`;
  return `${who} "${ref}" finns varken bland tjanstepersoner eller members – lägg till personen under tjanstepersoner (id, name, befattning)`;
}

/** "Sofia Gustafsson" → "sofia.gustafsson": the id a secretary would most likely give. */
function suggestId(name: string): string {
  return name
    .toLocaleLowerCase('sv')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
}

/** The ids an item's handlaggare or foredragande names, as a list. */
export function personIds(refs: string | readonly string[] | undefined): readonly string[] {
  return refs === undefined ? [] : typeof refs === 'string' ? [refs] : refs;
}

export function memberLabel(m: Pick<Member, 'name' | 'party'>): string {
  return m.party ? `${m.name} (${m.party})` : m.name;
}

export function isElected(m: Member): boolean {
  return ELECTED_ROLES.includes(m.role);
}

export function findMeeting(c: Committee, meetingId: string): Meeting | undefined {
  return c.meetings.find((m) => m.id === meetingId);
}

/** A member or a tjänsteperson by id: both can be reached, reminded and named on an ärende. */
export function findMember(c: Committee, memberId: string): Member | undefined {
  return c.members.find((m) => m.id === memberId) ?? c.tjanstepersoner.find((t) => t.id === memberId);
}

/** Members and tjänstepersoner: everyone the bot may talk to in the committee. */
export function everyone(c: Committee): readonly Member[] {
  return c.tjanstepersoner.length === 0 ? c.members : [...c.members, ...c.tjanstepersoner];
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

