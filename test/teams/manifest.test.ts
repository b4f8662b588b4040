/**
 * manifest.json against Microsoft's official schema, offline: the schema files bundled in
 * @microsoft/app-manifest (its validateManifest would fetch them), checked with ajv's draft-04
 * support as the schema declares. And the package an administrator uploads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import PizZip from 'pizzip';
import { PNG } from 'pngjs';
import { parseText } from '../../src/core/parser';
import { COMMANDS } from '../../src/core/registry';
import { buildTeamsPackage, LOCALIZATION_FILE, MANIFEST_FILE, PackageError, PLACEHOLDER_ID } from '../../adapters/teams/package';

const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8'));
const english = JSON.parse(readFileSync(LOCALIZATION_FILE, 'utf8'));
const schemaDir = path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams', `v${manifest.manifestVersion}`);
const APP = '0b7e1c2a-1111-4222-8333-444455556666';

function validator(file: string) {
  const schema = JSON.parse(readFileSync(path.join(schemaDir, file), 'utf8'));
  expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  // The localization schema's patterns use \b, which is not valid with the u flag.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('manifest.json', () => {
  const validate = validator('MicrosoftTeams.schema.json');

  test('is a current schema version (1.22 or newer) with the $schema URL Microsoft publishes', () => {
    const [major, minor] = String(manifest.manifestVersion).split('.').map(Number);
    expect(major === 1 && minor >= 22).toBe(true);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
  });

  test('is valid against the bundled official schema', () => {
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the schema really checks: a broken manifest is refused', () => {
    expect(validate({ ...manifest, id: 'not-a-guid' })).toBe(false);
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], scopes: ['everywhere'] }] })).toBe(false);
  });

  test('has the bot in personal and team scope, with placeholder ids for the package script', () => {
    expect(manifest.id).toBe(PLACEHOLDER_ID);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].botId).toBe(PLACEHOLDER_ID);
    expect(manifest.bots[0].scopes).toEqual(expect.arrayContaining(['personal', 'team']));
    expect(manifest.bots[0].commandLists.map((l: { scopes: string[] }) => l.scopes)).toEqual([['personal'], ['team']]);
  });

  test('the English strings are valid against the localization schema and cover every command', () => {
    const validateLocalization = validator('MicrosoftTeams.Localization.schema.json');
    expect(validateLocalization(english)).toBe(true);
    expect(english.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
    manifest.bots[0].commandLists.forEach((list: { commands: unknown[] }, l: number) =>
      list.commands.forEach((_c, c) => {
        expect(english[`bots[0].commandLists[${l}].commands[${c}].title`]).toEqual(expect.any(String));
        expect(english[`bots[0].commandLists[${l}].commands[${c}].description`]).toEqual(expect.any(String));
      }),
    );
  });

  // Teams inserts a command's title into the compose box: it must be a command the core knows,
  // in Swedish and (from the English strings) in English, and the two must mean the same.
  test('every command title, Swedish and English, is a command the core understands', () => {
    manifest.bots[0].commandLists.forEach((list: { commands: { title: string; description: string }[] }, l: number) =>
      list.commands.forEach((command, c) => {
        const sv = parseText(command.title, COMMANDS);
        const en = parseText(english[`bots[0].commandLists[${l}].commands[${c}].title`], COMMANDS);
        expect([command.title, sv.ok, en.ok]).toEqual([command.title, true, true]);
        if (sv.ok && en.ok) expect([command.title, en.command.name]).toEqual([command.title, sv.command.name]);
        expect(command.description.length).toBeGreaterThan(10);
      }),
    );
  });
});

function pngSize(bytes: Buffer): { width: number; height: number } {
  // The signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the Teams package', () => {
  const { zip } = buildTeamsPackage({ MicrosoftAppId: APP, TEAMS_WEBSITE_URL: 'https://www.sjobacka.se/namndbot' });
  const entries = new PizZip(zip).files;

  test('holds manifest.json, both icons and the English strings, nothing else', () => {
    expect(Object.keys(entries).sort()).toEqual(['color.png', 'en-us.json', 'manifest.json', 'outline.png']);
  });

  test('the icons are 192×192 colour and 32×32 outline, white on transparent', () => {
    const color = Buffer.from(entries['color.png'].asUint8Array());
    const outline = Buffer.from(entries['outline.png'].asUint8Array());
    expect(pngSize(color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });
    const pixels = PNG.sync.read(outline).data;
    let opaque = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] === 0) continue;
      opaque++;
      expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(opaque).toBeGreaterThan(50);
    expect(opaque).toBeLessThan(32 * 32 - 100);
  });

  test('the packaged manifest has the ids from configuration and is still valid', () => {
    const packaged = JSON.parse(entries['manifest.json'].asText());
    expect(packaged.id).toBe(APP);
    expect(packaged.bots[0].botId).toBe(APP);
    expect(packaged.developer.websiteUrl).toBe('https://www.sjobacka.se/namndbot');
    expect(validator('MicrosoftTeams.schema.json')(packaged)).toBe(true);
  });

  test.each([
    [{}, /MicrosoftAppId: saknas/],
    [{ MicrosoftAppId: 'abc' }, /MicrosoftAppId: ska vara ett GUID/],
    [{ MicrosoftAppId: APP, TEAMS_APP_VERSION: '1.0' }, /TEAMS_APP_VERSION/],
    [{ MicrosoftAppId: APP, TEAMS_PRIVACY_URL: 'http://x' }, /TEAMS_PRIVACY_URL: ska börja med https/],
  ])('refuses %j', (env, message) => {
    expect(() => buildTeamsPackage(env)).toThrow(PackageError);
    expect(() => buildTeamsPackage(env)).toThrow(message);
  });

  test('npm run package:teams writes the zip where it is told', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'namndbot-package-'));
    try {
      const out = path.join(dir, 'app.zip');
      const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
      const run = spawnSync(tsx, [path.join(__dirname, '../../adapters/teams/package.ts'), out], {
        env: { ...process.env, MicrosoftAppId: APP },
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Teams-paketet är skrivet/);
      expect(Object.keys(new PizZip(readFileSync(out)).files).sort()).toEqual(['color.png', 'en-us.json', 'manifest.json', 'outline.png']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
