/**
 * Builds the Teams app package an administrator uploads (Teams admin center → Manage apps →
 * Upload, or Developer Portal): a zip with manifest.json, the two icons and the English
 * strings, the ids filled in from configuration.
 *
 *   npm run package:teams [-- <out.zip>]        default ./dist/namndbot-teams.zip
 *
 * Reads: MicrosoftAppId (required: the bot's app id), and optionally TEAMS_APP_ID (a separate
 * Teams app id; default the bot's), TEAMS_APP_VERSION, TEAMS_DEVELOPER_NAME,
 * TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';

const ROOT = path.join(__dirname, '..', '..');
export const MANIFEST_FILE = path.join(ROOT, 'manifest.json');
export const LOCALIZATION_FILE = path.join(__dirname, 'en-us.json');
export const ICON_FILES = { color: path.join(__dirname, 'icons', 'color.png'), outline: path.join(__dirname, 'icons', 'outline.png') };
export const DEFAULT_OUT = path.join('dist', 'namndbot-teams.zip');
/** The placeholder in manifest.json where the ids go. */
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`Teams-paketet kunde inte byggas:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

type Manifest = Record<string, any>;

/** manifest.json with the ids and the optional overrides from `env`. */
export function filledManifest(env: NodeJS.ProcessEnv): Manifest {
  const problems: string[] = [];
  const v = (name: string) => env[name]?.trim() || undefined;
  const botId = v('MicrosoftAppId');
  const appId = v('TEAMS_APP_ID') ?? botId;
  if (!botId) problems.push('MicrosoftAppId: saknas. Ange Azure-botens app-id (samma värde som boten körs med).');
  else if (!GUID.test(botId)) problems.push('MicrosoftAppId: ska vara ett GUID.');
  if (appId && !GUID.test(appId)) problems.push('TEAMS_APP_ID: ska vara ett GUID.');
  const version = v('TEAMS_APP_VERSION');
  if (version && !SEMVER.test(version)) problems.push('TEAMS_APP_VERSION: skriv tre tal, till exempel 1.0.1 (höj det vid varje ny uppladdning).');
  const urls = { websiteUrl: v('TEAMS_WEBSITE_URL'), privacyUrl: v('TEAMS_PRIVACY_URL'), termsOfUseUrl: v('TEAMS_TERMS_URL') };
  for (const [key, url] of Object.entries(urls)) if (url && !/^https:\/\//i.test(url)) problems.push(`${envNameOf(key)}: ska börja med https://`);
  const developerName = v('TEAMS_DEVELOPER_NAME');
  if (developerName && developerName.length > 32) problems.push('TEAMS_DEVELOPER_NAME: högst 32 tecken.');
  if (problems.length) throw new PackageError(problems);

  const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as Manifest;
  manifest.id = appId;
  for (const bot of manifest.bots ?? []) bot.botId = botId;
  if (version) manifest.version = version;
  if (developerName) manifest.developer.name = developerName;
  for (const [key, url] of Object.entries(urls)) if (url) manifest.developer[key] = url;
  return manifest;
}

function envNameOf(key: string): string {
  return { websiteUrl: 'TEAMS_WEBSITE_URL', privacyUrl: 'TEAMS_PRIVACY_URL', termsOfUseUrl: 'TEAMS_TERMS_URL' }[key] ?? key;
}

/** The zip, as bytes: manifest.json, color.png, outline.png and en-us.json at its root. */
export function buildTeamsPackage(env: NodeJS.ProcessEnv): { zip: Buffer; manifest: Manifest } {
  const manifest = filledManifest(env);
  const zip = new PizZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file(manifest.icons.color, readFileSync(ICON_FILES.color));
  zip.file(manifest.icons.outline, readFileSync(ICON_FILES.outline));
  for (const lang of manifest.localizationInfo?.additionalLanguages ?? []) zip.file(lang.file, readFileSync(path.join(__dirname, lang.file)));
  return { zip: zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }), manifest };
}

function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`Användning: npm run package:teams [-- <fil.zip>]   (standard: ${DEFAULT_OUT})\nKräver MicrosoftAppId. Se adapters/teams/README.md.\n`);
    return 0;
  }
  const out = path.resolve(argv.find((a) => !a.startsWith('-')) ?? DEFAULT_OUT);
  try {
    const { zip, manifest } = buildTeamsPackage(process.env);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, zip);
    const placeholders = Object.values(manifest.developer).some((u) => typeof u === 'string' && u.includes('namndbot.example'));
    process.stdout.write(
      [
        `Teams-paketet är skrivet: ${out}`,
        `  app-id ${manifest.id}, bot-id ${manifest.bots[0].botId}, version ${manifest.version}`,
        ...(placeholders ? ['  Obs: webbplats-, integritets- och villkorsadresserna är platshållare. Sätt TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL och TEAMS_TERMS_URL.'] : []),
        'Ladda upp zip-filen i Teams administrationscenter under Hantera appar → Ladda upp.',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof PackageError ? err.message : `Teams-paketet kunde inte byggas: ${err instanceof Error ? err.message : String(err)}`}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
