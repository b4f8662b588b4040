/**
 * The render thread: a template that runs too long or needs too much memory is stopped there,
 * with a Swedish message naming it, and the next draft renders in a new thread.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { RenderThread } from '../../src/templates';
import { fixtureAgenda } from '../fixtures/agenda/fixture';
import { tempDir } from './helpers';

function templatesWith(markdown: string): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'dagordning.md.liquid'), markdown);
  return dir;
}

let thread: RenderThread;
afterEach(async () => thread.stop());

test('renders both files as on the main thread', async () => {
  thread = new RenderThread();
  const files = await thread.render(fixtureAgenda());
  expect(files.markdown).toContain('## Dagordning');
  expect(Buffer.from(files.docx).subarray(0, 2).toString('latin1')).toBe('PK');
});

test('a template that runs past the thread\'s time limit is stopped; the next draft renders', async () => {
  thread = new RenderThread({ heapMb: 256, timeoutMs: 1000, idleMs: 60_000 });
  // 27 million turns: longer than 1 s (LiquidJS's own limit, 2 s, comes later).
  const slow = templatesWith('{% for a in (1..300) %}{% for b in (1..300) %}{% for c in (1..300) %}x{% endfor %}{% endfor %}{% endfor %}');
  await expect(thread.render(fixtureAgenda(), { templatesDir: slow })).rejects.toThrow(
    'Fel i mallen dagordning.md.liquid: mallen tog längre tid än 1000 ms att fylla i och stoppades. Kontrollera loopar inuti loopar.',
  );
  // A new thread answers (quickly: a whole draft could take a second on a busy machine).
  await expect(thread.render(fixtureAgenda(), { templatesDir: templatesWith('{{ nosuchfield }}') })).rejects.toThrow('fältet "nosuchfield" finns inte');
});

test('a template that needs more memory than the thread has is stopped; the next draft renders', async () => {
  thread = new RenderThread({ heapMb: 32, timeoutMs: 10_000, idleMs: 60_000 });
  // A text of 65,536 characters written out in capitals 100,000 times: some 6 GB, within LiquidJS's limits.
  const greedy = templatesWith('{% assign s = "x" %}{% for i in (1..16) %}{% assign s = s | append: s %}{% endfor %}{% for i in (1..100000) %}{{ s | upcase | raw }}{% endfor %}');
  await expect(thread.render(fixtureAgenda(), { templatesDir: greedy })).rejects.toThrow(
    'Fel i mallen dagordning.md.liquid: mallen behövde mer minne än 32 MB och stoppades. Kontrollera loopar inuti loopar och stora intervall.',
  );
  expect((await thread.render(fixtureAgenda())).markdown).toContain('## Dagordning');
});

test('template problems come back as they do on the main thread', async () => {
  thread = new RenderThread();
  await expect(thread.render(fixtureAgenda(), { templatesDir: templatesWith('{{ nosuchfield }}') })).rejects.toThrow(
    'Fel i mallen dagordning.md.liquid, rad 1, kolumn 4: fältet "nosuchfield" finns inte.',
  );
});
