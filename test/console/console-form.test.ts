/**
 * Forms at a terminal (issue 19.5): the console asks field by field; "avbryt" cancels and is
 * never stored, and a command typed at a choice ends the form and runs as a command.
 */
import { PassThrough } from 'node:stream';
import { ConsoleAdapter } from '../../adapters/console/console-adapter';
import { makeHarness, type Harness } from '../support/harness';

let h: Harness;
let input: PassThrough;
let output = '';
let adapter: ConsoleAdapter;

beforeEach(async () => {
  h = await makeHarness();
  input = new PassThrough();
  const sink = new PassThrough();
  output = '';
  sink.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  adapter = new ConsoleAdapter({ core: h.core, input, output: sink, as: 'amira.haddad', interactive: true, filesDir: '/nonexistent' });
  await adapter.start();
});
afterEach(async () => {
  await adapter.stop();
  await h.close();
});

/** Types one line, then waits until the terminal shows `expected` after what it showed before. */
async function type(line: string, expected: string): Promise<string> {
  const from = output.length;
  input.write(`${line}\n`);
  for (let i = 0; i < 400 && !output.slice(from).includes(expected); i++) await new Promise((r) => setTimeout(r, 10));
  const shown = output.slice(from);
  expect({ line, shown: shown.includes(expected) ? expected : shown }).toEqual({ line, shown: expected });
  return shown;
}

test('the form says how to cancel, and "avbryt" cancels without storing it', async () => {
  await type('övrig fråga', 'Skriv avbryt för att avbryta.');
  await type('', 'Fråga: ');
  await type('avbryt', 'Avbrutet. Inget sparades.');
  expect(await h.eventCount()).toBe(0);
  await type('övrig fråga lista', 'Du har inga övriga frågor.');
});

test('a command typed at a choice is run as a command, not taken as the meeting', async () => {
  await type('övrig fråga', 'Sammanträde');
  const shown = await type('övrig fråga lista', 'Du har inga övriga frågor.');
  expect(shown).toContain('Formuläret är avbrutet; jag läser "övrig fråga lista" som ett nytt kommando.');
  expect(await h.eventCount()).toBe(0);
});

test('a choice is taken by its number or its label, and the form is sent', async () => {
  await type('övrig fråga', 'Sammanträde');
  await type('torsdag den 18 februari 2027', 'Fråga: ');
  await type('Hur går arbetet med badhuset?', 'är anmäld till sammanträdet torsdag den 18 februari 2027');
});
