/**
 * `namndbot config check`: checks the whole configuration without starting anything (settings,
 * Redis URL, Slack and Teams settings, committee files, the data folder) and lists every
 * setting with its value and where the value came from. Secrets are masked. Exit code 1 when
 * anything is wrong, with every problem listed in Swedish; nothing connects to Redis, Slack or
 * Microsoft.
 *
 * `ALL_SETTINGS` is the one table of settings: the bot's own, Redis, Slack and Teams. The
 * README's settings table is checked against it by a test, so no setting goes undocumented.
 */
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { ConfigError, formatProblem, loadCommittees } from '../../src/config/committee-file';
import { readSettings, SETTINGS, SettingsError, type SettingSpec } from '../../src/config/settings';
import { describeRedisTarget, readRedisSettings, REDIS_SETTINGS, RedisConfigError } from '../../src/store/redis-config';
import { readSlackSettings, SLACK_SETTINGS } from '../../adapters/slack';
import { readTeamsSettings, teamsRequested, TEAMS_SETTINGS } from '../../adapters/teams';
import { resolveCommitteeFiles } from '../app';
import { count } from '../../src/domain/text';

export const ALL_SETTINGS: readonly SettingSpec[] = [...SETTINGS, ...REDIS_SETTINGS, ...SLACK_SETTINGS, ...TEAMS_SETTINGS];

export type SettingSource = 'miljövariabel' | 'standardvärde' | 'inte satt';

export interface SettingRow {
  env: string;
  /** As shown: masked when secret; undefined when not set and without a default. */
  shown: string | undefined;
  source: SettingSource;
}

/** A secret as it may be shown: its kind, never its content. "xoxb-1-2-abc" → "xoxb-****". */
export function maskSecret(value: string): string {
  // A URL: scheme and host stay, the password goes ("redis://app:****@redis.example:6379").
  const url = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^:@/]*)(?::[^@]*)?@)?(.*)$/i.exec(value);
  if (url && value.includes('://')) {
    const [, scheme, user, rest] = url;
    return `${scheme}${user !== undefined ? `${user}:****@` : ''}${rest}`;
  }
  // Slack's token kinds say which token it is; nothing of any other secret is shown.
  const prefix = /^(xox[a-z]-|xapp-)/.exec(value);
  return prefix ? `${prefix[1]}****` : '****';
}

export function settingRows(env: NodeJS.ProcessEnv): SettingRow[] {
  return ALL_SETTINGS.map((s) => {
    const raw = env[s.env];
    if (raw !== undefined && raw.trim() !== '') {
      const v = raw.trim();
      return { env: s.env, shown: s.secret ? maskSecret(v) : oneLine(v), source: 'miljövariabel' };
    }
    if (s.default !== undefined) return { env: s.env, shown: s.default, source: 'standardvärde' };
    return { env: s.env, shown: undefined, source: 'inte satt' };
  });
}

function oneLine(v: string): string {
  const flat = v.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 77)}…` : flat;
}

export interface CheckResult {
  rows: SettingRow[];
  problems: string[];
  notes: string[];
  summary: string[];
}

/** Everything `config check` finds, without writing anything. */
export async function checkConfiguration(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const problems: string[] = [];
  const notes: string[] = [];
  const summary: string[] = [];
  const collect = (err: unknown) => {
    if (err instanceof SettingsError || err instanceof RedisConfigError) problems.push(...err.problems);
    else if (err instanceof ConfigError) problems.push(...err.problems.map(formatProblem));
    else throw err;
  };

  let settings: ReturnType<typeof readSettings> | undefined;
  try {
    settings = readSettings(env);
  } catch (err) {
    collect(err);
  }

  let redis: ReturnType<typeof readRedisSettings>;
  try {
    redis = readRedisSettings(env);
    summary.push(redis ? `Lagring: Redis på ${describeRedisTarget(redis.target)}, nycklar under ${redis.prefix} (ingen anslutning provas här)` : '');
  } catch (err) {
    collect(err);
  }

  let serverMode = false;
  try {
    const slack = readSlackSettings(env);
    serverMode ||= Boolean(slack);
    summary.push(`Slack: ${!slack ? 'av' : slack.mode === 'http' ? `på, HTTP-läge på sökvägen ${slack.path}` : 'på, Socket Mode'}`);
    if (slack?.mode === 'http' && env.SLACK_PORT?.trim()) notes.push(`SLACK_PORT används inte av namndbot start: Slack och Teams delar en server på NAMNDBOT_PORT (${settings?.port ?? env.NAMNDBOT_PORT}).`);
  } catch (err) {
    collect(err);
  }
  if (teamsRequested(env)) {
    serverMode = true;
    try {
      const teams = readTeamsSettings(env);
      summary.push(`Teams: på, ${teams.auth.mode === 'none' ? 'UTAN inloggning (TEAMS_DEV_NO_AUTH=true, bara för utveckling)' : `med inloggning (${teams.auth.appType})`}, /api/messages`);
      if (env.TEAMS_PORT?.trim()) notes.push(`TEAMS_PORT används inte av namndbot start: Slack och Teams delar en server på NAMNDBOT_PORT (${settings?.port ?? env.NAMNDBOT_PORT}).`);
    } catch (err) {
      collect(err);
    }
  } else {
    summary.push('Teams: av');
  }
  if (settings && serverMode) summary.push(`HTTP-server: port ${settings.port} (/healthz, /readyz, /metrics), största anrop ${settings.maxBodyBytes / 1024} kB`);
  if (!serverMode) summary.push('Ingen chattplattform är inställd: namndbot start körs i terminalen.');

  // Committee files: also with broken settings, from what NAMNDBOT_COMMITTEES says.
  const committeePaths = settings?.committeePaths ?? (env.NAMNDBOT_COMMITTEES?.trim() || 'examples/kfn.yaml').split(',').map((p) => p.trim()).filter(Boolean);
  try {
    const files = await resolveCommitteeFiles(committeePaths);
    if (files.length === 0) problems.push(`NAMNDBOT_COMMITTEES: det finns inga nämndfiler (.yaml, .yml eller .json) i ${committeePaths.join(', ')}.`);
    else {
      const committees = await loadCommittees(files);
      for (const c of committees) summary.push(`Nämnd: ${c.name} (${c.id}): ${c.members.length} personer, ${c.meetings.length} sammanträden`);
    }
  } catch (err) {
    collect(err);
  }
  if (!env.NAMNDBOT_COMMITTEES?.trim()) notes.push('NAMNDBOT_COMMITTEES är inte satt, så exempelnämnden används. Sätt den i drift.');

  if (settings && !redis) {
    const problem = await dataDirProblem(settings.dataDir);
    if (problem) problems.push(`NAMNDBOT_DATA_DIR: ${problem}`);
    summary.push(`Lagring: filer i ${path.resolve(settings.dataDir)}`);
  }
  if (settings) summary.push(settings.retentionDays === undefined ? 'Gallring: av' : `Gallring: personuppgifter som inte är allmänna handlingar tas bort ${count(settings.retentionDays, 'dag', 'dagar')} efter överklagandetiden`);

  return { rows: settingRows(env), problems, notes, summary: summary.filter(Boolean) };
}

/** Whether the data folder can be used: it exists and is writable, or can be created. */
async function dataDirProblem(dir: string): Promise<string | undefined> {
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) return `${dir} finns men är ingen mapp.`;
  // The folder, or the nearest parent that exists (the store creates the rest).
  let probe = path.resolve(dir);
  while (!(await stat(probe).then(() => true, () => false))) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  try {
    await access(probe, fsConstants.W_OK);
    return undefined;
  } catch {
    return `Nämndbot får inte skriva i ${probe}. Ge kontot som kör boten skrivrätt, eller välj en annan mapp.`;
  }
}

export async function runConfigCheck(env: NodeJS.ProcessEnv, out: Writable): Promise<number> {
  const result = await checkConfiguration(env);
  const width = Math.max(...result.rows.map((r) => r.env.length));
  const valueWidth = Math.min(48, Math.max(...result.rows.map((r) => (r.shown ?? '—').length)));
  out.write('Inställningar (värde och varifrån det kommer; hemligheter visas inte):\n');
  for (const r of result.rows) out.write(`  ${r.env.padEnd(width)}  ${(r.shown ?? '—').padEnd(valueWidth)}  ${r.source}\n`);
  out.write('\n');
  for (const line of result.summary) out.write(`${line}\n`);
  for (const n of result.notes) out.write(`Obs: ${n}\n`);
  out.write('\n');
  if (result.problems.length) {
    out.write(`Konfigurationen har ${result.problems.length === 1 ? 'ett problem' : `${result.problems.length} problem`}; Nämndbot startar inte förrän ${result.problems.length === 1 ? 'det är rättat' : 'de är rättade'}:\n`);
    for (const p of result.problems) out.write(`  - ${p}\n`);
    return 1;
  }
  out.write('Konfigurationen är giltig.\n');
  return 0;
}
