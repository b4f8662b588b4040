import { SLACK_SETTINGS, readSlackSettings } from '../../adapters/slack/settings';
import { SettingsError } from '../../src/config/settings';

const BOT = 'xoxb-1234-5678-abcdef';
const APP = 'xapp-1-A0-123-abcdef';
const SECRET = '8f742231b10e8888abcd99aaaaaa85a5';

describe('readSlackSettings', () => {
  test.each([
    ['nothing set', {}],
    ['only blanks', { SLACK_BOT_TOKEN: '  ', SLACK_SIGNING_SECRET: '' }],
    ['only a port and a mode (deployment defaults)', { SLACK_PORT: '3000', SLACK_MODE: 'http' }],
  ])('Slack is off with %s', (_, env) => {
    expect(readSlackSettings(env)).toBeUndefined();
  });

  test.each([
    ['HTTP mode with defaults', { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET }, { mode: 'http', botToken: BOT, signingSecret: SECRET, port: 3000, path: '/slack/events' }],
    ['HTTP mode on another port and path', { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_PORT: '8080', SLACK_PATH: '/namndbot/slack' }, { mode: 'http', port: 8080, path: '/namndbot/slack' }],
    ['Socket Mode chosen by the app token', { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }, { mode: 'socket', botToken: BOT, appToken: APP }],
    ['HTTP mode asked for with an app token around', { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SECRET, SLACK_MODE: 'http' }, { mode: 'http' }],
  ])('%s', (_, env, want) => {
    expect(readSlackSettings(env)).toMatchObject(want);
  });

  test.each([
    ['a bot token alone', { SLACK_BOT_TOKEN: BOT }, ['SLACK_SIGNING_SECRET saknas', 'SLACK_SIGNING_SECRET is missing', 'HTTP-läge', 'HTTP mode']],
    ['a signing secret alone', { SLACK_SIGNING_SECRET: SECRET }, ['SLACK_BOT_TOKEN saknas', 'SLACK_BOT_TOKEN is missing']],
    ['an app token alone', { SLACK_APP_TOKEN: APP }, ['SLACK_BOT_TOKEN saknas', 'Socket Mode']],
    ['Socket Mode without its app token', { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_MODE: 'socket' }, ['SLACK_APP_TOKEN saknas', 'SLACK_APP_TOKEN is missing']],
    ['HTTP mode asked for with only tokens', { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_MODE: 'http' }, ['SLACK_SIGNING_SECRET saknas']],
    ['a user token where the bot token goes', { SLACK_BOT_TOKEN: 'xoxp-123', SLACK_SIGNING_SECRET: SECRET }, ['SLACK_BOT_TOKEN', 'xoxb-']],
    ['the bot token where the app token goes', { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: BOT }, ['SLACK_APP_TOKEN', 'xapp-']],
    ['a verification token where the signing secret goes', { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'gIkuvaNzQIHg97ATvDxqgjtO' }, ['SLACK_SIGNING_SECRET']],
    ['a mode that does not exist', { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_MODE: 'websocket' }, ['SLACK_MODE', 'välj http eller socket']],
    ['a port that is not one', { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_PORT: '70000' }, ['SLACK_PORT']],
  ])('a clear error for %s', (_, env, words) => {
    let error: unknown;
    try {
      readSlackSettings(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    for (const w of words) expect((error as Error).message).toContain(w);
    // Secrets are never repeated in the message.
    expect((error as Error).message).not.toContain(SECRET);
  });

  test('the settings table lists every variable once, secrets marked', () => {
    const names = SLACK_SETTINGS.map((s) => s.env);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_MODE', 'SLACK_PORT', 'SLACK_PATH']);
    expect(SLACK_SETTINGS.filter((s) => s.secret).map((s) => s.env)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']);
    for (const s of SLACK_SETTINGS) expect(s.description.length).toBeGreaterThan(10);
  });
});
