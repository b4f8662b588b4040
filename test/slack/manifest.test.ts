/**
 * The app manifest agrees with the adapter (commands, events, path) and with Slack's limits.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SLASH_COMMANDS } from '../../adapters/slack/slack-adapter';
import { SLACK_SETTINGS } from '../../adapters/slack/settings';

interface Manifest {
  display_information: { name: string; description: string; long_description: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    bot_user: { display_name: string };
    slash_commands: { command: string; url: string; description: string; usage_hint: string; should_escape: boolean }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync(path.join(__dirname, '../../adapters/slack/manifest.yaml'), 'utf8')) as Manifest;

test('the commands are the adapter\'s, with names Slack accepts and Swedish help within limits', () => {
  const commands = manifest.features.slash_commands;
  expect(commands.map((c) => c.command).sort()).toEqual(Object.keys(SLASH_COMMANDS).sort());
  for (const c of commands) {
    expect(c.command).toMatch(/^\/[a-z0-9_-]{1,31}$/);
    expect(c.description.length).toBeGreaterThan(10);
    expect(c.description.length).toBeLessThanOrEqual(2000);
    expect(c.usage_hint.length).toBeLessThanOrEqual(1000);
    // Mentions arrive as <@U…|name>, which the adapter rewrites to @U… for the core (fromSlackText).
    expect(c.should_escape).toBe(true);
  }
});

test('one request URL for commands, interactivity and events, on the default path', () => {
  const defaultPath = SLACK_SETTINGS.find((s) => s.env === 'SLACK_PATH')?.default;
  const urls = new Set([...manifest.features.slash_commands.map((c) => c.url), manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url]);
  expect(urls.size).toBe(1);
  expect([...urls][0]).toMatch(new RegExp(`^https://[^/]+${defaultPath}$`));
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(typeof manifest.settings.socket_mode_enabled).toBe('boolean');
});

test('the scopes and events the adapter uses, and no more', () => {
  expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['chat:write', 'commands', 'files:read', 'files:write', 'im:history', 'im:write', 'users:read', 'users:read.email']);
  expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'message.im']);
  expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
});

test('display information within Slack\'s limits', () => {
  const d = manifest.display_information;
  expect(d.name.length).toBeLessThanOrEqual(35);
  expect(d.description.length).toBeLessThanOrEqual(140);
  expect(d.long_description.length).toBeGreaterThanOrEqual(175);
  expect(d.long_description.length).toBeLessThanOrEqual(4000);
  expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
});
