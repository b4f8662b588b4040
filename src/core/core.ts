/**
 * The core: the one entry point every adapter calls. Read `handle` and `process` top to bottom:
 *
 *   Incoming ──► identify ──► parse ──► authorize ──► execute ──► deliver ──► Outgoing[]
 *
 * identify: who the platform id is, in which committees (the committee files and accounts linked
 * at run time). parse: the text, button or form into a command (`parser.ts`). authorize: the
 * committee and the member's role. execute: the command's handler decides on the committee's
 * state and the committee log records its events (`committee-log.ts`). deliver: replies for the
 * asker are returned to the adapter; messages for other members go out through the
 * `MemberDelivery` the core was given, on whatever platform reaches that member.
 *
 * A delivery seen before is answered nothing and changes nothing: its once-mark is set by the
 * append that records what the command did (both or neither), or, when the command only
 * answers, before the answer.
 */
import { adapterState, type AdapterState } from './adapter-state';
import { z } from 'zod';
import { everyone, fileIdentities, findMember, memberLabel, PLATFORM_INFO, PLATFORMS, type Committee, type Member, type Platform, type PlatformIdentity, type Role } from '../domain/committee';
import type { Clock } from '../domain/clock';
import type { Actor } from '../domain/records';
import { identityKey, type CommitteeState } from '../domain/state';
import { committeeView } from '../domain/meeting-records';
import { normalizeWord } from '../domain/text';
import { unreachable } from '../domain/unreachable';
import { StoreUnavailableError, type OnceMark, type Store } from '../store/store';
import { CommitteeLog, DUPLICATE_DELIVERY, type CommitteeLogOptions } from './committee-log';
import type { AgendaRenderer, CommandDef } from './context';
import { COMMANDS } from './registry';
import { refusal } from './handlers/common';
import { UnreachableError } from './adapter';
import type { Incoming } from './incoming';
import { silentLogger, type Logger } from './logger';
import { list, message, type Message } from './message';
import { toAsker, type Outgoing } from './outgoing';
import { decideEmailLink, linkedText, normalizeEmail, problemText, type EmailLinkDecision, type PlatformDirectory } from './email-link';
import { checkOnBehalf, onBehalfDecision, splitOnBehalf } from './on-behalf';
import { MAX_INPUT_CHARS, parseInput, type ParsedCommand, type ParseResult } from './parser';
import { RateLimiter, type RateLimitOptions } from './rate-limit';

/** Delivers a message privately through the first identity some platform can reach. */
export interface MemberDelivery {
  deliver(identities: PlatformIdentity[], message: Message): Promise<unknown>;
}

export interface CoreOptions {
  committees: Committee[];
  store: Store;
  clock: Clock;
  logger?: Logger;
  delivery?: MemberDelivery;
  /** How long a delivery id is remembered for de-duplication. Platforms retry within minutes. */
  deliveryMemoryMs?: number;
  /** Makes agenda documents; without it `dagordning` gives the preview only. */
  renderer?: AgendaRenderer;
  /** Told about every command and Store failure (metrics). */
  observer?: CoreObserver;
  /** Per-person limit; the default allows a burst of 20 and 30 a minute. */
  rateLimit?: RateLimitOptions;
  /** See `CommitteeLogOptions.freshStateMs`. */
  freshStateMs?: CommitteeLogOptions['freshStateMs'];
  /** See `CommitteeLogOptions.states`; those of committees this core does not serve are left out. */
  states?: CommitteeLogOptions['states'];
}

/** What the core reports for metrics. Labels are command names and outcomes: never content. */
export interface CoreObserver {
  commandHandled(command: string, outcome: string, seconds: number): void;
  storeError(operation: string): void;
}

export const RATE_LIMITED_TEXT = 'Du skickar många kommandon just nu. Vänta en liten stund och försök igen.';

/** A person as the core knows them: one membership per committee they sit in. */
export interface Membership {
  committee: Committee;
  member: Member;
}

const incomingSchema = z.object({
  deliveryId: z.string().min(1).max(300),
  platform: z.enum(PLATFORMS),
  platformUserId: z.string().min(1).max(300),
  place: z.union([z.object({ kind: z.literal('private') }), z.object({ kind: z.literal('channel'), channelId: z.string().min(1).max(300) })]),
  input: z.union([
    z.object({ kind: z.literal('text'), text: z.string() }),
    z.object({ kind: z.literal('action'), actionId: z.string().max(100), value: z.string().max(2000) }),
    z.object({ kind: z.literal('form'), formId: z.string().max(100), values: z.record(z.string(), z.string()) }),
    z.object({ kind: z.literal('file'), name: z.string().min(1).max(300), bytes: z.instanceof(Uint8Array), text: z.string().max(MAX_INPUT_CHARS).optional() }),
  ]),
});

type Processed = { replies: Outgoing[]; command?: string; outcome: string };
const DUPLICATE: Processed = { replies: [], outcome: 'duplicate' };

export const STORE_DOWN_TEXT = 'Nämndbot kan inte nå sitt datalager just nu, så inget har sparats. Försök igen om en stund.';
/** Said only when the Store says nothing was written and the disk is full. */
export const STORE_FULL_TEXT = 'Nämndbot kan inte spara just nu eftersom disken där boten sparar är full, så inget har sparats. Försök igen om en stund; säg till IT om det håller i sig.';
/**
 * The write may have been stored (the connection broke with it sent): never "inget har sparats".
 * Sending the same again lands once: a command already stored is answered as such.
 */
export const STORE_UNKNOWN_TEXT =
  'Nämndbot tappade kontakten med sitt datalager medan det här skulle sparas, så jag vet inte om det hann sparas. Skicka samma sak igen om en stund: har det redan sparats får du veta det, annars sparas det då.';

/** What the person is told when the Store failed: only "inget har sparats" when that is certain. */
export function storeFailureText(err: StoreUnavailableError): string {
  if (err.written === 'unknown') return STORE_UNKNOWN_TEXT;
  return err.diskFull ? STORE_FULL_TEXT : STORE_DOWN_TEXT;
}

export class Core {
  readonly committees: ReadonlyMap<string, Committee>;
  /** Each committee's records and state: read them with `log.state`, record with `log.execute`. */
  readonly log: CommitteeLog;
  /** For the asker's staged work and the adapters' state (`adapterState`); records go through `log`. */
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly deliveryMemoryMs: number;
  private delivery: MemberDelivery | undefined;
  private readonly renderer: AgendaRenderer | undefined;
  private readonly observer: CoreObserver | undefined;
  private readonly limiter: RateLimiter;
  /** Committees whose state has accounts linked at run time. */
  private readonly withLinks = new Set<string>();
  /** The committees in the order given: `configuredIdentities` and `byEmail` point into it. */
  private readonly committeeList: readonly Committee[];
  /**
   * Per platform, user id → the committees whose files give it to someone, by their place in
   * `committeeList`: one as itself, several (a person in more than one committee) as a list, in
   * order. A number, not a membership: a large installation has an entry per person and committee
   * (120,000 at 6,000 committees), and the people are found again in their committee's list.
   */
  private readonly configuredIdentities = new Map<Platform, Map<string, number | number[]>>(PLATFORMS.map((p) => [p, new Map()]));
  /** E-mail address (lower case) → the committees whose file gives someone that address (email-link.ts), as above. */
  private readonly byEmail = new Map<string, number | number[]>();
  /** Directories that need no request to ask (Slack's Web API): for members to be reached before they wrote. */
  private readonly directories = new Map<Platform, PlatformDirectory>();

  constructor(options: CoreOptions) {
    this.committees = new Map(options.committees.map((c) => [c.id, c]));
    this.store = options.store;
    this.clock = options.clock;
    this.log = new CommitteeLog({
      store: options.store,
      clock: options.clock,
      freshStateMs: options.freshStateMs,
      ...(options.states ? { states: new Map([...options.states].filter(([id]) => this.committees.has(id))) } : {}),
      // Remembers the committees with accounts linked at run time: `identify` looks only there.
      onApplied: (committeeId, state) => {
        if (state.linkedIdentities.size > 0) this.withLinks.add(committeeId);
      },
    });
    this.logger = options.logger ?? silentLogger;
    this.delivery = options.delivery;
    this.renderer = options.renderer;
    this.observer = options.observer;
    this.limiter = new RateLimiter(options.clock, options.rateLimit);
    this.deliveryMemoryMs = options.deliveryMemoryMs ?? 24 * 3600_000;
    this.committeeList = [...options.committees];
    this.committeeList.forEach((committee, index) => {
      for (const member of everyone(committee)) {
        for (const { platform, platformUserId } of fileIdentities(member)) addIndex(this.configuredIdentities.get(platform)!, platformUserId, index);
        if (member.email) addIndex(this.byEmail, member.email, index);
      }
    });
  }

  /** The people of the committees at `indexes` (`committeeList`) that `matches` picks, in order. */
  private membershipsIn(indexes: number | readonly number[] | undefined, matches: (member: Member) => boolean): Membership[] {
    const found: Membership[] = [];
    for (const index of indexes === undefined ? [] : typeof indexes === 'number' ? [indexes] : indexes) {
      const committee = this.committeeList[index]!;
      for (const member of everyone(committee)) if (matches(member)) found.push({ committee, member });
    }
    return found;
  }

  /** The memberships whose committee file entry has the e-mail address. */
  private withEmail(email: string): Membership[] {
    return this.membershipsIn(this.byEmail.get(email), (m) => m.email === email);
  }

  /** What the adapter of `platform` keeps between requests: the port in adapter-state.ts. */
  adapterState(platform: Platform): AdapterState {
    return adapterState(this.store, platform);
  }

  /** Set once the adapters exist (they need the core first). */
  setDelivery(delivery: MemberDelivery): void {
    this.delivery = delivery;
  }

  /**
   * An adapter whose platform can be asked about its users at any time (Slack's Web API) gives
   * its directory here: a member with only `email` in the committee file is then found when a
   * message must reach them. A directory that needs the request (Teams' roster) is passed to
   * `handle` instead.
   */
  setDirectory(platform: Platform, directory: PlatformDirectory): void {
    this.directories.set(platform, directory);
  }

  /** Everyone the platform identity belongs to, across committees (configured and linked). */
  async identify(platform: Platform, platformUserId: string): Promise<Membership[]> {
    const key = identityKey(platform, platformUserId);
    const found = this.membershipsIn(this.configuredIdentities.get(platform)?.get(platformUserId), (m) => hasFileIdentity(m, platform, platformUserId));
    // Links made at run time are looked up in the states already in memory that have any, so a
    // command costs no Store read and no look at every committee; only someone found nowhere
    // gets a fresh look (another process may just have linked them).
    for (const committeeId of this.withLinks) addLinked(found, this.committees.get(committeeId), this.log.cachedState(committeeId), key);
    if (found.length === 0) for (const committee of this.committees.values()) addLinked(found, committee, await this.log.state(committee.id), key);
    return found;
  }


  /**
   * A member's platform identities: from the committee file first, then linked ones. A member
   * with an `email` and no account on a platform whose directory the core holds is looked up
   * there, and linked when the rules allow (email-link.ts).
   */
  async identitiesOf(committee: Committee, member: Member): Promise<PlatformIdentity[]> {
    const out = fileIdentities(member);
    const state = await this.log.state(committee.id);
    for (const [key, memberId] of state.linkedIdentities) {
      if (memberId !== member.id) continue;
      const [platform, ...rest] = key.split(':');
      const identity = { platform: platform as Platform, platformUserId: rest.join(':') };
      if (!out.some((o) => o.platform === identity.platform && o.platformUserId === identity.platformUserId)) out.push(identity);
    }
    if (member.email) {
      for (const [platform, directory] of this.directories) {
        if (out.some((o) => o.platform === platform)) continue;
        const linked = await this.reachByEmail(committee, member, member.email, platform, directory);
        if (linked) out.push({ platform, platformUserId: linked });
      }
    }
    return out;
  }

  /** A member with only an e-mail address, to be reached on `platform`: the one account with it, linked. */
  private async reachByEmail(committee: Committee, member: Member, email: string, platform: Platform, directory: PlatformDirectory): Promise<string | undefined> {
    let accounts: string[];
    try {
      accounts = [...new Set(await directory.usersWithEmail(email))];
    } catch (err) {
      this.logger.warn({ committeeId: committee.id, memberId: member.id, platform, err: err instanceof Error ? err.name : 'error' }, 'e-mail look-up failed');
      return undefined;
    }
    if (accounts.length === 0) return undefined;
    const matches = this.withEmail(email).filter((m) => m.committee.id === committee.id).map((m) => m.member);
    const linked = await this.linkAccount(committee, matches, platform, accounts.length === 1 ? accounts[0] : undefined, accounts);
    return linked?.id === member.id ? accounts[0] : undefined;
  }

  /**
   * Someone unknown wrote: the memberships the platform's e-mail address for them gives, linked
   * now (one record per committee where the rules allow). Failures of the directory are logged
   * and leave the person unknown.
   */
  private async identifyByEmail(platform: Platform, platformUserId: string, directory: PlatformDirectory | undefined): Promise<Membership[]> {
    if (!directory || !PLATFORM_INFO[platform].linkedInChat || this.byEmail.size === 0) return [];
    try {
      const emails = [...new Set((await directory.emailsOf(platformUserId)).map(normalizeEmail))];
      const found = emails.flatMap((e) => this.withEmail(e));
      if (found.length === 0) return [];
      const accounts = [...new Set((await Promise.all(emails.filter((e) => this.byEmail.has(e)).map((e) => directory.usersWithEmail(e)))).flat())];
      const out: Membership[] = [];
      for (const committee of new Set(found.map((f) => f.committee))) {
        const member = await this.linkAccount(committee, found.filter((f) => f.committee === committee).map((f) => f.member), platform, platformUserId, accounts);
        if (member) out.push({ committee, member });
      }
      return out;
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      this.logger.warn({ platform, err: err instanceof Error ? err.name : 'error' }, 'e-mail look-up failed');
      return [];
    }
  }

  /**
   * Records the link when `decideEmailLink` allows it and tells the committee's secretary; when it
   * does not, tells her why (once a week per account and committee). Returns the member linked.
   */
  private async linkAccount(committee: Committee, matches: Member[], platform: Platform, platformUserId: string | undefined, accounts: readonly string[]): Promise<Member | undefined> {
    // Without one account to link (the address leads to several): the rule's answer without a state.
    let decided: EmailLinkDecision = { ok: false, problem: matches.length === 1 ? 'two-accounts' : 'two-members', members: matches };
    if (platformUserId !== undefined) {
      await this.log.execute(committee.id, { via: platform }, (state) => {
        decided = decideEmailLink({
          matches,
          platform,
          platformUserId,
          accounts,
          linkedTo: (id) => state.linkedIdentities.get(identityKey(platform, id)),
          linkedAccountsOf: (memberId) => [...state.linkedIdentities].filter(([key, m]) => m === memberId && key.startsWith(`${platform}:`)).map(([key]) => key.slice(platform.length + 1)),
        });
        if (!decided.ok || state.linkedIdentities.get(identityKey(platform, platformUserId)) === decided.member.id) return { events: [], replies: [] };
        return { events: [{ type: 'identity.linked', memberId: decided.member.id, platform, platformUserId, foundBy: 'email' }], replies: [] };
      });
    }
    const secretaries = committee.members.filter((m) => m.role === 'sekreterare');
    const result = decided as EmailLinkDecision;
    if (result.ok) {
      this.logger.info({ committeeId: committee.id, memberId: result.member.id, platform }, 'account linked by e-mail');
      for (const s of secretaries) await this.deliverTo(committee.id, s.id, message(linkedText(result.member, platform, platformUserId!)));
      return result.member;
    }
    this.logger.info({ committeeId: committee.id, platform, problem: result.problem }, 'account not linked by e-mail');
    const noteKey = `emaillink:${committee.id}:${platform}:${platformUserId ?? result.members.map((m) => m.id).join(',')}:${result.problem}`;
    if (await this.log.markOnce({ key: noteKey, ttlMs: 7 * 24 * 3600_000 })) {
      for (const s of secretaries) await this.deliverTo(committee.id, s.id, message(problemText(result.problem, result.members, platform, platformUserId)));
    }
    return undefined;
  }

  /** An answer given without recording anything: only for a delivery seen for the first time. */
  private async unlessSeen(mark: OnceMark | undefined, out: Processed): Promise<Processed> {
    return mark && !(await this.log.markOnce(mark)) ? DUPLICATE : out;
  }

  /** Tells the observer (metrics) how a command went and how long it took. */
  private observe(command: string, outcome: string, started: number): void {
    this.observer?.commandHandled(command, outcome, (this.clock.now().getTime() - started) / 1000);
  }

  /**
   * Handles one thing a person did. Never throws for bad input; answers it in Swedish.
   * `directory`: what the platform can say about this sender's e-mail address now (Teams' roster
   * in this turn), for a sender the committee file knows by `email` only (email-link.ts).
   */
  async handle(raw: Incoming, directory?: PlatformDirectory): Promise<Outgoing[]> {
    const started = this.clock.now().getTime();
    const checked = incomingSchema.safeParse(raw);
    if (!checked.success) {
      this.logger.warn({ issues: checked.error.issues.map((i) => i.path.join('.')) }, 'malformed incoming');
      return [refusal('Jag kunde inte läsa meddelandet. Försök igen, eller skriv hjälp.')];
    }
    const incoming = checked.data as Incoming;
    if (PLATFORM_INFO[incoming.platform].rateLimited && !this.limiter.take(`${incoming.platform}:${incoming.platformUserId}`)) {
      this.logger.warn({ platform: incoming.platform, deliveryId: incoming.deliveryId }, 'rate limited');
      this.observe('none', 'rate-limited', started);
      return [refusal(RATE_LIMITED_TEXT)];
    }
    const deliveryKey = `delivery:${incoming.platform}:${incoming.deliveryId}`;
    // The delivery's once-mark is set together with what the command records (or, when it only
    // answers, before the answer): a delivery seen before is answered nothing and changes nothing.
    const mark: OnceMark = { key: deliveryKey, ttlMs: this.deliveryMemoryMs };
    try {
      const out = await this.process(incoming, false, mark, directory);
      if (out === DUPLICATE) {
        this.logger.info({ deliveryId: incoming.deliveryId, platform: incoming.platform }, 'duplicate delivery ignored');
        this.observe('none', 'duplicate', started);
        return [];
      }
      this.logger.info(
        { deliveryId: incoming.deliveryId, platform: incoming.platform, command: out.command, outcome: out.outcome, ms: this.clock.now().getTime() - started },
        'handled',
      );
      this.observe(out.command ?? 'none', out.outcome, started);
      return out.replies;
    } catch (err) {
      // Nothing was written (appends are atomic, the mark with them): forget the delivery so a
      // retry is processed. When that is not certain the mark stays, so a redelivery of this one
      // is not recorded a second time; the person is told to send it again (a new delivery).
      if (!(err instanceof StoreUnavailableError) || err.written === 'no') await this.log.unmark(deliveryKey).catch(() => undefined);
      if (err instanceof StoreUnavailableError) {
        this.logger.error({ deliveryId: incoming.deliveryId, err: err.message, written: err.written, diskFull: err.diskFull }, 'store unavailable');
        this.observer?.storeError('command');
        this.observe('none', err.written === 'no' ? 'store-unavailable' : 'store-outcome-unknown', started);
        return [refusal(storeFailureText(err))];
      }
      // The error's name only: a message may quote what the person wrote.
      this.logger.error({ deliveryId: incoming.deliveryId, err: err instanceof Error ? err.name : 'unknown' }, 'command failed');
      this.observe('none', 'error', started);
      return [refusal('Något gick fel hos Nämndbot och inget har sparats. Försök igen; händer det igen, kontakta sekreteraren.')];
    }
  }

  /**
   * Answers a look-up ("möten", "jäv lista", "övriga frågor") without recording anything: no
   * delivery mark, no rate-limit token. For screens an adapter draws itself (Slack's App Home).
   * A command that would record something is refused here and changes nothing.
   */
  async query(platform: Platform, platformUserId: string, text: string): Promise<Outgoing[]> {
    const out = await this.process({ deliveryId: 'query', platform, platformUserId, place: { kind: 'private' }, input: { kind: 'text', text } }, true);
    return out.replies;
  }

  /** The pipeline. Every refusal on the way is an answer only: it records nothing. */
  private async process(incoming: Incoming, readOnly = false, mark?: OnceMark, directory?: PlatformDirectory): Promise<Processed> {
    // identify; someone unknown may be a member the committee file knows by e-mail (email-link.ts)
    let memberships = await this.identify(incoming.platform, incoming.platformUserId);
    if (memberships.length === 0 && !readOnly) memberships = await this.identifyByEmail(incoming.platform, incoming.platformUserId, directory ?? this.directories.get(incoming.platform));
    if (memberships.length === 0) return this.unlessSeen(mark, { outcome: 'unknown-user', replies: [refusal(unknownUserText(incoming.platformUserId))] });
    // parse; "för amira.haddad: jäv 7/25 part" is the secretary acting for a member (on-behalf.ts)
    const onBehalf = incoming.input.kind === 'text' && !readOnly ? splitOnBehalf(incoming.input.text) : undefined;
    const input = onBehalf ? { kind: 'text' as const, text: onBehalf.rest } : incoming.input;
    const parsed = parseInput(input, COMMANDS, memberships.map((m) => m.committee.shortName));
    if (!parsed.ok) return this.unlessSeen(mark, { outcome: `parse-${parsed.problem}`, replies: [refusal(parseProblemText(parsed))] });
    const command = parsed.command;
    // authorize
    const allowed = authorize(memberships, command, onBehalf !== undefined);
    if (!allowed.ok) return this.unlessSeen(mark, { command: command.name, outcome: allowed.outcome, replies: [allowed.reply] });
    const { committee, def } = allowed;
    let member = allowed.member;
    let actingFor: Member | undefined;
    if (onBehalf) {
      // The member by id, or by their account on this platform ("för @U0BV9FWYA1P: …", a mention the adapter unwrapped).
      let word = onBehalf.member;
      if (!findMember(committee, normalizeWord(word))) word = (await this.identify(incoming.platform, word)).find((m) => m.committee.id === committee.id)?.member.id ?? word;
      const checked = checkOnBehalf(committee, member, word, command, def);
      if (!checked.ok) return this.unlessSeen(mark, { command: command.name, outcome: checked.outcome, replies: [checked.reply] });
      actingFor = checked.target;
    }
    const secretary = member;
    if (actingFor) member = actingFor;
    // execute
    // Slow reading first (a file sent to the bot), and the asker's staged work (an import awaiting confirmation).
    const prepared = def.prepare && !readOnly ? await def.prepare(command) : undefined;
    const stageKey = def.staging ? `staged:${def.staging}:${committee.id}:${member.id}` : undefined;
    const staged = stageKey && !readOnly ? await this.store.getValue(stageKey) : undefined;
    const handle = (state: CommitteeState) =>
      def.handle(command, {
        committee: committeeView(committee, state.meetingEdits),
        member,
        state,
        now: this.clock.now(),
        via: incoming.platform,
        place: incoming.place,
        commands: COMMANDS,
        renderer: this.renderer,
        ...(prepared !== undefined ? { prepared } : {}),
        ...(staged !== undefined ? { staged } : {}),
      });
    const decide = actingFor ? (state: CommitteeState) => onBehalfDecision(handle(state), committee, secretary, actingFor, incoming.platform) : handle;
    if (readOnly) {
      const looked = decide(await this.log.state(committee.id));
      if (looked.events.length > 0) return { command: command.name, outcome: 'refused-read-only', replies: [refusal('Det här kan bara göras som ett kommando.')] };
      return { command: command.name, outcome: 'answered', replies: looked.replies.filter((o) => o.audience.kind !== 'member') };
    }
    const actor: Actor = { memberId: secretary.id, via: incoming.platform };
    const decision = await this.log.execute(committee.id, actor, decide, mark);
    if (decision === DUPLICATE_DELIVERY) return DUPLICATE;
    if (stageKey && decision.stage !== undefined) {
      if (decision.stage === null) await this.store.deleteValue(stageKey);
      else await this.store.setValue(stageKey, decision.stage);
    }
    // deliver
    const replies = [...decision.replies];
    if (decision.after) replies.push(...(await this.runAfter(decision.after, command.name)));
    return { command: command.name, outcome: decision.events.length ? 'recorded' : 'answered', replies: await this.deliver(committee, replies) };
  }

  /** Sends the replies meant for other members; returns those for the asker, with a note for each member not reached. */
  private async deliver(committee: Committee, replies: Outgoing[]): Promise<Outgoing[]> {
    const forAsker: Outgoing[] = [];
    for (const o of replies) {
      if (o.audience.kind !== 'member') {
        forAsker.push(o);
        continue;
      }
      const sent = await this.deliverTo(o.audience.committeeId, o.audience.memberId, o.message);
      if (!sent.ok) {
        const who = findMember(committee, o.audience.memberId);
        forAsker.push(refusal(`Obs: ${who ? memberLabel(who) : o.audience.memberId} kunde inte nås med beskedet (${sent.reason}). Meddela hen på annat sätt.`));
      }
    }
    return forAsker;
  }

  /** Runs a decision's slow follow-up; its failure is told to the asker, the records stand. */
  private async runAfter(after: () => Promise<Outgoing[]>, command: string): Promise<Outgoing[]> {
    try {
      return await after();
    } catch (err) {
      this.logger.error({ command, err: err instanceof Error ? err.name : 'error' }, 'follow-up failed');
      const detail = err instanceof Error && err.name === 'TemplateError' ? ` ${err.message}` : '';
      return [refusal(`Det som skulle sparas är sparat, men dokumenten kunde inte skapas.${detail}`)];
    }
  }

  /**
   * Sends privately to a member. Never throws at the person who acted: a failure is logged and
   * returned as a Swedish reason the asker can be told.
   */
  async deliverTo(committeeId: string, memberId: string, msg: Message): Promise<{ ok: true } | { ok: false; reason: string }> {
    const committee = this.committees.get(committeeId);
    const member = committee && findMember(committee, memberId);
    if (!committee || !member || !this.delivery) {
      this.logger.warn({ committeeId, memberId }, 'no delivery for member message');
      return { ok: false, reason: 'Nämndbot är inte ansluten till någon chatt där personen kan nås' };
    }
    try {
      await this.delivery.deliver(await this.identitiesOf(committee, member), msg);
      return { ok: true };
    } catch (err) {
      this.logger.warn({ committeeId, memberId, err: err instanceof Error ? err.name : 'error' }, 'member message not delivered');
      return { ok: false, reason: err instanceof UnreachableError ? err.reason : 'chattjänsten svarade inte; försök igen senare' };
    }
  }
}

/** Adds `index` to the committees `key` is found in, once. */
function addIndex(byKey: Map<string, number | number[]>, key: string, index: number): void {
  const known = byKey.get(key);
  if (known === undefined) byKey.set(key, index);
  else if (typeof known === 'number') {
    if (known !== index) byKey.set(key, [known, index]);
  } else if (!known.includes(index)) known.push(index);
}

/** Whether the committee file gives the person this account on the platform. */
function hasFileIdentity(member: Member, platform: Platform, platformUserId: string): boolean {
  const ids: string | readonly string[] | undefined = member.identities[platform];
  return typeof ids === 'string' ? ids === platformUserId : (ids?.includes(platformUserId) ?? false);
}

/** Adds the member a linked account belongs to in a committee, unless the committee is there already. */
function addLinked(found: Membership[], committee: Committee | undefined, state: CommitteeState | undefined, key: string): void {
  const linked = state?.linkedIdentities.get(key);
  const member = committee && linked ? findMember(committee, linked) : undefined;
  if (committee && member && !found.some((f) => f.committee.id === committee.id)) found.push({ committee, member });
}

function unknownUserText(platformUserId: string): string {
  return `Jag känner inte igen dig, så jag kan inte ta emot kommandon från dig ännu. Be nämndens sekreterare koppla ditt konto till dig i Nämndbot (ditt id: ${platformUserId}).`;
}

function parseProblemText(problem: Extract<ParseResult, { ok: false }>): string {
  switch (problem.problem) {
    case 'empty':
      return 'Skriv ett kommando, till exempel hjälp.';
    case 'too-long':
      return `Meddelandet är för långt (${problem.length} tecken). Skriv högst ${MAX_INPUT_CHARS} tecken.`;
    case 'unknown':
      return `Jag förstår inte "${problem.word}".${problem.suggestion ? ` Menade du "${problem.suggestion}"?` : ''} Skriv hjälp för att se vad du kan göra.`;
    case 'unknown-action':
      return 'Knappen hör till en äldre version av Nämndbot. Skriv hjälp för att se vad du kan göra.';
    default:
      return unreachable(problem);
  }
}

type Authorized = { ok: true; committee: Committee; member: Member; def: CommandDef } | { ok: false; outcome: 'which-committee' | 'forbidden'; reply: Outgoing };

/** Which of the person's committees the command is for, and whether their role there may use it. */
function authorize(memberships: Membership[], command: ParsedCommand, onBehalf = false): Authorized {
  const def = COMMANDS.find((c) => c.name === command.name)!;
  // Acting for a member, the secretary's committee is the one she is secretary of (on-behalf.ts checks the rest).
  const candidates = onBehalf && !command.args.committee && memberships.some((m) => m.member.role === 'sekreterare') ? memberships.filter((m) => m.member.role === 'sekreterare') : memberships;
  const chosen = chooseMembership(candidates, command, def);
  if (!chosen.ok) return { ok: false, outcome: 'which-committee', reply: chosen.reply };
  const { committee, member } = chosen.membership;
  if (onBehalf) return { ok: true, committee, member, def };
  if (!def.roles.includes(member.role)) return { ok: false, outcome: 'forbidden', reply: refusal(forbiddenText(def, member)) };
  return { ok: true, committee, member, def };
}

function chooseMembership(memberships: Membership[], command: ParsedCommand, def: CommandDef): { ok: true; membership: Membership } | { ok: false; reply: Outgoing } {
  const named = command.args.committee;
  if (named) {
    const n = normalizeWord(named);
    const m = memberships.find((x) => normalizeWord(x.committee.shortName) === n || x.committee.id === n);
    if (m) return { ok: true, membership: m };
    return { ok: false, reply: refusal(`Du är inte med i någon nämnd som heter "${named}". Dina nämnder: ${memberships.map((x) => x.committee.shortName).join(', ')}.`) };
  }
  if (memberships.length === 1) return { ok: true, membership: memberships[0] };
  return {
    ok: false,
    reply: toAsker(
      message(
        'Du sitter i flera nämnder. Skriv nämndens kortnamn först, till exempel:',
        list(memberships.map((x) => `${x.committee.shortName} ${def.example}`)),
      ),
    ),
  };
}

const ROLE_AS_SUBJECT: Record<Role, string> = {
  ordförande: 'ordföranden',
  'vice ordförande': 'vice ordföranden',
  ledamot: 'ledamöter',
  ersättare: 'ersättare',
  sekreterare: 'sekreteraren',
  handläggare: 'handläggare',
};

function forbiddenText(def: CommandDef, member: Member): string {
  const roles = def.roles;
  // All elected roles read as "ledamöter och ersättare"; anyone else allowed is named after them.
  const elected = roles.includes('ledamot') && roles.includes('ersättare');
  const names = elected
    ? ['ledamöter', 'ersättare', ...roles.filter((r) => !['ordförande', 'vice ordförande', 'ledamot', 'ersättare'].includes(r)).map((r) => ROLE_AS_SUBJECT[r])]
    : roles.map((r) => ROLE_AS_SUBJECT[r]);
  const who = names.length > 1 ? `${names.slice(0, -1).join(', ')} och ${names[names.length - 1]}` : names[0];
  return `Det kan bara ${who} göra, och du är ${member.role}. Skriv hjälp för att se vad du kan göra.`;
}

/** The commands a member may use: for listings outside `hjälp` (App Home, Teams command lists). */
export function commandsFor(member: Member): CommandDef[] {
  return COMMANDS.filter((c) => c.roles.includes(member.role));
}

