/**
 * Members found by e-mail. A member in the committee file may have `email` instead of platform
 * ids; the chat account with that address is linked to them the first time the person writes
 * (`Core.handle`) or is to be reached (`Core.identitiesOf`). The link is an `identity.linked`
 * record with `foundBy: 'email'`, and the secretary is told.
 *
 * The platform's side is a small port the adapter offers (`PlatformDirectory`); the rules are
 * here, pure, and nobody is ever linked to the wrong person: an address two members share, an
 * address the platform gives to another account as well (or to none), or a member who already
 * has an account on that platform, means no link and a note to the secretary.
 */
import { fileIdentities, memberLabel, PLATFORM_INFO, type Member, type Platform } from '../domain/committee';
import { unreachable } from '../domain/unreachable';

/** What an adapter can tell the core about its platform's users' e-mail addresses. */
export interface PlatformDirectory {
  /** The addresses (e-mail, user principal name) the platform gives this user; empty when none. */
  emailsOf(platformUserId: string): Promise<string[]>;
  /** Every user of the platform (as far as this directory sees) with this address. */
  usersWithEmail(email: string): Promise<string[]>;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export type EmailLinkProblem =
  /** Two members of the committee have the address. */
  | 'two-members'
  /** The platform gives the address to another account as well (or instead). */
  | 'two-accounts'
  /** The member already has an account on this platform (in the file or linked). */
  | 'has-account'
  /** The account is linked to someone else already. */
  | 'account-taken';

export type EmailLinkDecision = { ok: true; member: Member } | { ok: false; problem: EmailLinkProblem; members: Member[] };

/**
 * Whether `platformUserId` may be linked to the one member in `matches` (the committee's members
 * with the address). `accounts`: the platform's users with that address. `linkedTo`: who an
 * account on this platform is already linked to at run time (member id), if anyone.
 */
export function decideEmailLink(input: {
  matches: readonly Member[];
  platform: Platform;
  platformUserId: string;
  accounts: readonly string[];
  linkedTo: (platformUserId: string) => string | undefined;
  /** Accounts on this platform linked at run time to this member. */
  linkedAccountsOf: (memberId: string) => readonly string[];
}): EmailLinkDecision {
  const { matches, platform, platformUserId } = input;
  if (matches.length !== 1) return { ok: false, problem: 'two-members', members: [...matches] };
  const member = matches[0]!;
  const accounts = new Set(input.accounts);
  if (accounts.size !== 1 || !accounts.has(platformUserId)) return { ok: false, problem: 'two-accounts', members: [member] };
  const owner = input.linkedTo(platformUserId);
  if (owner !== undefined && owner !== member.id) return { ok: false, problem: 'account-taken', members: [member] };
  const has = fileIdentities(member).some((i) => i.platform === platform) || input.linkedAccountsOf(member.id).some((a) => a !== platformUserId);
  if (has) return { ok: false, problem: 'has-account', members: [member] };
  return { ok: true, member };
}

/** For the secretary: the account was linked. */
export function linkedText(member: Member, platform: Platform, platformUserId: string): string {
  return `${memberLabel(member)} är nu kopplad till sitt ${PLATFORM_INFO[platform].label}-konto (${platformUserId}): ${PLATFORM_INFO[platform].label} gav kontot samma e-postadress som står på hen i nämndfilen, och ingen annan har den. Kopplingen är sparad som en handling.`;
}

/** For the secretary: why an account was not linked, and what to do. */
export function problemText(problem: EmailLinkProblem, members: readonly Member[], platform: Platform, platformUserId: string | undefined): string {
  const label = PLATFORM_INFO[platform].label;
  const who = members.map(memberLabel).join(' och ');
  const account = platformUserId ? `kontot ${platformUserId} på ${label}` : `ett konto på ${label}`;
  const link = (m: Member | undefined) => (platformUserId && m ? ` Vet du att kontot är hens, skriv i ${label}: koppla ${platformUserId} ${m.id}` : '');
  switch (problem) {
    case 'two-members':
      return `Jag kopplade inte ${account}: dess e-postadress står på flera i nämndfilen (${who}). Rätta e-postadresserna i nämndfilen, eller koppla kontot med koppla ${platformUserId ?? '<konto>'} <id>.`;
    case 'two-accounts':
      return `Jag kopplade inte ${account} till ${who}: ${label} har e-postadressen som står på hen i nämndfilen på ${platformUserId ? 'flera konton' : 'flera konton eller inget'}, så jag kan inte veta vilket som är hens.${link(members[0])}`;
    case 'has-account':
      return `Jag kopplade inte ${account} till ${who}: hen har redan ett konto på ${label} i Nämndbot, och ${account} har samma e-postadress.${link(members[0])}`;
    case 'account-taken':
      return `Jag kopplade inte ${account} till ${who}: kontot är redan kopplat till någon annan i nämnden.`;
    default:
      return unreachable(problem);
  }
}
