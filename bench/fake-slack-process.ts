/**
 * The fake Slack (test/slack/fake-slack.ts) in a process of its own, for bench/slack.ts: the
 * real Slack's work of taking the answers is not the bot's, so it does not run in the measured
 * process. Prints `ready <port>` once listening; answers a line `count` on stdin with
 * `count <answers to response_urls so far>`; stops when stdin ends.
 */
import { createInterface } from 'node:readline';
import { FakeSlack } from '../test/slack/fake-slack';

void (async () => {
  const fake = await new FakeSlack().start();
  fake.recordBodies = false;
  process.stdout.write(`ready ${fake.port}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'count') process.stdout.write(`count ${fake.counts.get('response_url') ?? 0}\n`);
  });
  lines.on('close', () => void fake.stop().then(() => process.exit(0)));
})();
