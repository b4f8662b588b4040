/**
 * Every command the chapter "Under och efter mötet" of docs/sekreterare.md shows runs exactly as
 * written, in the order the chapter shows them, on the example committee (examples/kfn.yaml).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeWord } from '../../src/domain/text';
import { makeHarness, plain, type Harness } from '../support/harness';

const DOC = readFileSync(path.join(__dirname, '../../docs/sekreterare.md'), 'utf8');
const CHAPTER = DOC.slice(DOC.indexOf('## Under och efter mötet'), DOC.indexOf('\n## ', DOC.indexOf('## Under och efter mötet') + 5));
const WORDS = ['narvaro', 'tjanstgor', 'beslut', 'yrkande', 'votering', 'reservation', 'protokollsanteckning', 'expedieras', 'beskrivning', 'protokoll', 'kommentar'];
/** The chat commands of the chapter: code spans that start with a command word and have no placeholder. */
const COMMANDS = [...CHAPTER.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s*\n\s*/g, ' ')).filter((c) => WORDS.includes(normalizeWord(c.split(' ')[0]!)) && !c.includes('<'));

let h: Harness;
beforeAll(async () => {
  h = await makeHarness({ now: '2027-01-10T10:00:00+01:00' });
  await h.say('maria.ekstrom', 'dagordning möte 2027-01-21');
  h.clock.set('2027-01-21T17:00:00+01:00');
  // From the chapter on justering: the justerare are in before "protokoll klart".
  await h.say('maria.ekstrom', 'justering 2027-01-21 amira.haddad');
});
afterAll(async () => h.close());

test('the chapter shows the commands', () => {
  expect(COMMANDS).toEqual(expect.arrayContaining(['närvaro 10–11 amira.haddad', 'beslut 2/27 enligt förslag', 'protokoll utan § 12', 'närvaro registrera', 'protokoll klart', 'kommentar 2027-01-21 § 9 ska vara …']));
  expect(COMMANDS.length).toBeGreaterThan(25);
});

test('each runs as written: it records (or was recorded already), or, given without its ärende, opens its form', async () => {
  for (const command of COMMANDS) {
    // A comment is the justerare's; everything else the secretary's.
    const who = command.startsWith('kommentar') ? 'amira.haddad' : 'maria.ekstrom';
    const before = await h.eventCount();
    const replies = await h.say(who, command);
    const form = replies.some((o) => o.message.parts.some((p) => p.kind === 'form'));
    const recorded = (await h.eventCount()) > before;
    // The same record again, or the same draft (both shown twice in the chapter), is there already: that ran too.
    const already = /^Redan sparat: .* Inget ändrades\.$|Inget har ändrats sedan version \d+, så ingen ny version sparades\./.test(plain(replies));
    expect({ command, outcome: recorded || form || already ? 'ran' : plain(replies) }).toEqual({ command, outcome: 'ran' });
  }
}, 120_000);
