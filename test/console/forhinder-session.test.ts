/**
 * Förhinder, the ersättare chain, the register of interests and a jäv hint, scripted through
 * the console adapter: buttons show as the text commands to type, and private messages to others
 * are printed under "Privat meddelande till …".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli as run } from '../support/cli';

const NOW = '2027-01-11T10:00:00+01:00';


let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'namndbot-forhinder-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

test('förhinder, an ersättare who declines and one who accepts, närvaro, and a private jäv hint', async () => {
  const script = [
    'förhinder 2027-01-21',
    '/som nils.holmgren',
    'ersättare nej E1',
    '/som elin.hedlund',
    'ersättare ja E2',
    '/som tomas.engstrom',
    'engagemang styrelse Sjöbacka Ridklubb 802456-7890',
    '/som maria.ekstrom',
    'närvaro',
    'dagordning',
  ].join('\n');
  const r = await run(['start', '--as', 'amira.haddad', '--now', NOW], `${script}\n`, { NAMNDBOT_DATA_DIR: dataDir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = r.stdout;
  const order = [
    // Messages to others are delivered while the command runs, so they print before its answer.
    '── Privat meddelande till Nils Holmgren (S) ──',
    'Kan du tjänstgöra i Amira Haddads ställe',
    '[Ja, jag kommer] skriv: ersättare ja E1',
    'Förhinder anmält till sammanträdet torsdag den 21 januari 2027.',
    'Du är nu Nils Holmgren (S), ersättare.',
    '── Privat meddelande till Elin Hedlund (MP) ──',
    '[Ja, jag kommer] skriv: ersättare ja E2',
    'Tack för beskedet. Jag frågar nästa ersättare i tur.',
    '── Privat meddelande till Amira Haddad (S) ──',
    'Elin Hedlund (MP) tjänstgör i ditt ställe',
    'Tack! Du tjänstgör i Amira Haddads ställe',
    'Engagemanget är registrerat: I1: styrelseuppdrag — Sjöbacka Ridklubb (802456-7890).',
    'Elin Hedlund (MP) tjänstgör i Amira Haddads ställe under hela sammanträdet',
    '── Privat meddelande till Tomas Engström (S) ──',
    'Jävstips inför sammanträdet torsdag den 21 januari 2027: § 11, ärende 4/27',
    '[Anmäl jäv (ställföreträdarjäv)] skriv: jäv möte 2027-01-21 4/27 ställföreträdare',
    'Utkast 1 till kallelse och dagordning',
    'NÄRVARO (FÖRSLAG TILL PROTOKOLLET)',
    'Nämndbot har skickat 1 privat jävstips',
  ];
  let at = -1;
  for (const line of order) {
    const i = out.indexOf(line, at + 1);
    expect({ line, found: i > at }).toEqual({ line, found: true });
    at = i;
  }
  // The hint went to Tomas only.
  expect(out.match(/Jävstips inför/g)).toHaveLength(1);
}, 60_000);
