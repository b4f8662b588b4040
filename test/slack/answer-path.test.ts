/**
 * The Slack answer path through the real adapter (Bolt, HTTP mode) on the real core (issue 18):
 * answers to response_url go out on one kept-alive connection, not one connection per answer,
 * and Bolt's conversation store is off (it looked up every request's conversation and built an
 * Error for each one it did not know, which is every one).
 */
import { MemoryStore } from '@slack/bolt';
import { AMIRA, SECRETARY, startHarness, type SlackHarness } from './harness';

let h: SlackHarness;
afterEach(async () => {
  jest.restoreAllMocks();
  await h?.close();
});

test('a run of commands is answered through the response_urls on one kept-alive connection', async () => {
  h = await startHarness();
  const texts = ['möten', 'ärenden', 'jäv lista', 'vem är jag', 'hjälp'];
  for (const [i, text] of texts.entries()) {
    const { answer, responseUrl } = await h.slack.command(i % 2 ? SECRETARY : AMIRA, '/namnd', text);
    expect(answer.status).toBe(200);
    const id = responseUrl.split('/').pop();
    await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id));
  }
  expect(h.fake.responses.length).toBeGreaterThanOrEqual(texts.length);
  expect(h.fake.responseConnections.size).toBe(1);
});

test("Bolt's conversation store is not consulted for a request", async () => {
  const lookups = jest.spyOn(MemoryStore.prototype, 'get');
  h = await startHarness();
  const { answer, responseUrl } = await h.slack.command(AMIRA, '/namnd', 'möten');
  expect(answer.status).toBe(200);
  const id = responseUrl.split('/').pop();
  await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id));
  expect(lookups).not.toHaveBeenCalled();
});
