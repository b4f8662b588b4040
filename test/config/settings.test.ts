/**
 * The bot's own settings (src/config/settings.ts): defaults, and a Swedish answer naming the
 * variable for every bad value. The HTTP limits and the /metrics token are read here.
 */
import { readSettings, SettingsError } from '../../src/config/settings';

test('defaults: 15 s per request, /metrics without a token', () => {
  const settings = readSettings({});
  expect(settings.requestTimeoutMs).toBe(15_000);
  expect(settings.metricsToken).toBeUndefined();
  expect(settings.sources).toMatchObject({ NAMNDBOT_REQUEST_TIMEOUT_S: 'standardvärde' });
});

test('values from the environment are taken', () => {
  const settings = readSettings({ NAMNDBOT_REQUEST_TIMEOUT_S: '30', NAMNDBOT_METRICS_TOKEN: 'f00dfeedf00dfeedf00d' });
  expect(settings.requestTimeoutMs).toBe(30_000);
  expect(settings.metricsToken).toBe('f00dfeedf00dfeedf00d');
});

test.each([
  ['NAMNDBOT_REQUEST_TIMEOUT_S', '0', /NAMNDBOT_REQUEST_TIMEOUT_S: antalet sekunder måste vara större än 0/],
  ['NAMNDBOT_REQUEST_TIMEOUT_S', '1.5', /NAMNDBOT_REQUEST_TIMEOUT_S: skriv antalet sekunder som ett heltal/],
  ['NAMNDBOT_REQUEST_TIMEOUT_S', 'femton', /NAMNDBOT_REQUEST_TIMEOUT_S: skriv antalet sekunder som ett heltal/],
  ['NAMNDBOT_METRICS_TOKEN', 'kort', /NAMNDBOT_METRICS_TOKEN: välj en nyckel med minst 16 tecken/],
  ['NAMNDBOT_METRICS_TOKEN', 'sexton tecken med mellanslag', /NAMNDBOT_METRICS_TOKEN: nyckeln får inte innehålla mellanslag/],
])('%s=%s is refused in Swedish', (env, value, message) => {
  let caught: unknown;
  try {
    readSettings({ [env]: value });
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SettingsError);
  expect((caught as SettingsError).message).toMatch(message);
});
