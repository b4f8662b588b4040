/**
 * Slack Web API errors that mean "this person cannot be reached", as `UnreachableError` with a
 * Swedish reason for the secretary. Anything else (rate limits, network, 5xx) is a passing
 * failure the caller may retry.
 */
import { UnreachableError } from '../../src/core/adapter';

const REINSTALL = 'Be IT installera om Slack-appen enligt adapters/slack/README.md.';

/** Slack error code → why, in Swedish. */
export const UNREACHABLE_REASONS: Readonly<Record<string, string>> = {
  user_not_found: 'Slack-kontot finns inte i arbetsytan. Kontrollera kopplingen med /namnd koppla.',
  users_not_found: 'Slack-kontot finns inte i arbetsytan. Kontrollera kopplingen med /namnd koppla.',
  user_not_visible: 'Nämndbot får inte se Slack-kontot (till exempel en gäst eller en användare i en annan organisation).',
  user_disabled: 'Slack-kontot är avaktiverat.',
  account_inactive: 'Slack-kontot, eller Nämndbots egen app, är avaktiverat. ' + REINSTALL,
  cannot_dm_bot: 'Kontot tillhör en bot och kan inte ta emot direktmeddelanden.',
  not_allowed_token_type: 'Nämndbot använder fel sorts token i Slack (det ska vara en bot-token, xoxb-). Be IT rätta SLACK_BOT_TOKEN.',
  missing_scope: 'Nämndbots Slack-app saknar en behörighet som behövs för direktmeddelanden. ' + REINSTALL,
  invalid_auth: 'Slack godtar inte längre Nämndbots token. ' + REINSTALL,
  not_authed: 'Slack godtar inte längre Nämndbots token. ' + REINSTALL,
  token_revoked: 'Nämndbots token i Slack är återkallad. ' + REINSTALL,
  token_expired: 'Nämndbots token i Slack har gått ut. ' + REINSTALL,
  team_access_not_granted: 'Nämndbot är inte installerad i den arbetsyta där kontot finns.',
  channel_not_found: 'Slack hittar ingen direktkonversation med kontot.',
  is_archived: 'Direktkonversationen med kontot är arkiverad.',
  restricted_action: 'Arbetsytans inställningar hindrar Nämndbot från att skriva till kontot.',
  ekm_access_denied: 'Arbetsytans nyckelhantering (EKM) hindrar meddelandet.',
};

/** The Slack error code of a Web API platform error (`{ ok: false, error }`), if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; data?: { error?: unknown } };
  if (e.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') return e.data.error;
  return undefined;
}

/** The error as `UnreachableError` when Slack said the person cannot be reached; else undefined. */
export function asUnreachable(err: unknown): UnreachableError | undefined {
  const code = slackErrorCode(err);
  const reason = code ? UNREACHABLE_REASONS[code] : undefined;
  return reason ? new UnreachableError(`${reason} (Slack: ${code})`, { cause: err }) : undefined;
}
