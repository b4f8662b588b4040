/**
 * The operator's guarantees in the core: a flood from one person leaves others unaffected, and
 * logs carry ids, never names, motivations, question texts or ärende titles.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { Core, RATE_LIMITED_TEXT } from '../../src/core/core';
import { toPlainText } from '../../src/core/message';
import { makeHarness, type Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => h.close());

const slackId = (h: Harness, memberId: string) => h.committee.members.find((m) => m.id === memberId)!.identities.slack[0];

test('flooding one person is answered politely; the others are unaffected', async () => {
  const core = new Core({ committees: [h.committee], store: h.store, clock: h.clock, rateLimit: { burst: 5, perMinute: 6 } });
  let n = 0;
  const say = async (user: string, text: string) =>
    (await core.handle({ deliveryId: `d${++n}`, platform: 'slack', platformUserId: user, place: { kind: 'private' }, input: { kind: 'text', text } })).map((o) => toPlainText(o.message)).join('\n');
  const flooder = slackId(h, 'amira.haddad');
  const answers = await Promise.all(Array.from({ length: 40 }, () => say(flooder, 'möten')));
  expect(answers.filter((a) => a.startsWith('Kommande sammanträden'))).toHaveLength(5);
  expect(answers.filter((a) => a === RATE_LIMITED_TEXT)).toHaveLength(35);
  expect(await say(slackId(h, 'helena.sandberg'), 'jäv 3 part')).toContain('Jäv anmält');
  // Ten seconds later the flooder has one command again (6 a minute).
  h.clock.advance(10_000);
  expect(await say(flooder, 'möten')).toContain('Kommande sammanträden');
  expect(await say(flooder, 'möten')).toBe(RATE_LIMITED_TEXT);
});

test('a jäv declaration is logged with ids only', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: 'trace' }, sink);
  const core = new Core({ committees: [h.committee], store: h.store, clock: h.clock, logger });
  const say = (text: string, id: string) => core.handle({ deliveryId: id, platform: 'console', platformUserId: 'amira.haddad', place: { kind: 'private' }, input: { kind: 'text', text } });
  await say('jäv 8 part Sökanden är min systerson Kalle Persson', 'a');
  await say('övrig fråga Varför stängde simhallen i Norrby?', 'b');
  await say('jäv 99 part', 'c');
  const log = lines.join('');
  expect(log).toContain('"command":"jav.declare"');
  expect(log).toContain('"outcome":"recorded"');
  for (const secret of ['Amira', 'Haddad', 'systerson', 'Kalle Persson', 'fritidsstöd', 'Individärende', 'simhallen', 'Norrby', 'amira.haddad']) {
    expect(log).not.toContain(secret);
  }
});
