/**
 * Socket Mode: the same adapter over a WebSocket that Nämndbot opens, with no inbound port.
 * A fake Socket Mode endpoint sends a slash command envelope; the adapter acknowledges it on the
 * socket and answers through the response_url.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSlack, type SlackAdapter } from '../../adapters/slack/slack-adapter';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core } from '../../src/core/core';
import { AdapterDelivery } from '../../src/core/delivery';
import { silentLogger } from '../../src/core/logger';
import { ManualClock } from '../../src/domain/clock';
import { FileStore } from '../../src/store/file-store';
import { FakeSlack, TEAM_ID } from './fake-slack';
import { FakeSocketMode } from './fake-socket';
import { AMIRA, EXAMPLE } from './harness';
import { triggerId } from './slack-sender';

test('a slash command over Socket Mode is acknowledged on the socket and answered', async () => {
  const fake = await new FakeSlack().start();
  const socket = await new FakeSocketMode().start();
  fake.socketUrl = socket.url;
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-slack-socket-'));
  const clock = new ManualClock('2027-01-10T10:00:00+01:00');
  const store = await FileStore.open({ dataDir: dir, clock });
  const delivery = new AdapterDelivery();
  const core = new Core({ committees: [await loadCommitteeFile(EXAMPLE)], store, clock, delivery });
  let adapter: SlackAdapter | undefined;
  try {
    adapter = await startSlack(
      { core, delivery, logger: silentLogger },
      { mode: 'socket', botToken: 'xoxb-test-token', appToken: 'xapp-1-test' },
      { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } } },
    );
    expect(delivery.platforms()).toEqual(['slack']);
    expect(fake.callsOf('apps.connections.open')).toHaveLength(1);
    expect(adapter.requestListener).toBeUndefined(); // nothing listens for HTTP

    const responseUrl = fake.responseUrl();
    socket.sendJson({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'x',
        team_id: TEAM_ID,
        channel_id: 'C0NAMNDEN1',
        channel_name: 'kfn',
        user_id: AMIRA,
        command: '/ovrigfraga',
        text: 'Kan biblioteket ha öppet längre på lördagar?',
        api_app_id: 'A0NAMNDBOT',
        response_url: responseUrl,
        trigger_id: triggerId(),
      },
    });
    const ack = await fake.waitFor(() => socket.received.find((m) => m.envelope_id === 'env-1'));
    expect(ack).toEqual({ envelope_id: 'env-1', payload: {} });
    const reply = await fake.waitFor(() => fake.responses.find((r) => responseUrl.endsWith(r.id)));
    expect(String(reply.body.text)).toContain('Din övriga fråga F1 är anmäld');
    expect(await store.readEvents('kfn', 0)).toMatchObject([{ type: 'fraga.announced', actor: { via: 'slack' } }]);
  } finally {
    await adapter?.stop();
    await socket.stop();
    await fake.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
