/**
 * The console's input is bounded per line: readline gathers a whole line before handing it on,
 * and a line past V8's longest string (a file piped in by mistake) ended the process. Now a cut
 * line is refused by the core as too long, the rest of it is dropped, and the next line is read.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { boundedLines } from '../../adapters/console/bounded-lines';
import { ROOT } from '../support/cli';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

async function through(chunks: string[], max: number): Promise<string> {
  let out = '';
  for await (const chunk of boundedLines(Readable.from(chunks.map((c) => Buffer.from(c))), max)) out += (chunk as Buffer).toString();
  return out;
}

test.each([
  ['short lines pass whole', ['ok\nja\n'], 'ok\nja\n'],
  ['a long line is cut, the next kept', ['abcdefghij\nok\n'], 'abcd\nok\n'],
  ['a line cut across chunks', ['ab', 'cdef', 'gh\nok'], 'abcd\nok'],
  ['a line of exactly the limit', ['abcd\n'], 'abcd\n'],
  ['empty lines are kept', ['\n\nabcdefg\n\n'], '\n\nabcd\n\n'],
])('%s', async (_name, chunks, expected) => {
  expect(await through(chunks, 4)).toBe(expected);
});

test('a 600 MB line on stdin is refused in Swedish, and the command after it is answered', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'namndbot-longline-'));
  try {
    const child = spawn(TSX, ['bin/main.ts', 'start', '--as', 'amira.haddad', '--now', '2027-01-10T10:00:00+01:00'], {
      cwd: ROOT,
      env: { ...process.env, NAMNDBOT_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdin.on('error', () => undefined);
    const megabyte = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 600; i++) {
      if (!child.stdin.write(megabyte)) await new Promise((r) => child.stdin.once('drain', r));
    }
    child.stdin.end('\növrig fråga lista\n');
    expect({ code: await closed, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/Meddelandet är för långt \(\d+ tecken\)\. Skriv högst 4000 tecken\./);
    expect(stdout).toContain('Du har inga övriga frågor.');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}, 120_000);
