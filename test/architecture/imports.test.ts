/**
 * The arrows of the README's architecture table, read from the import statements themselves:
 * the core knows no platform, an adapter knows one platform and not the entry, the domain does
 * no I/O. A new import that breaks one of them fails here with the file and the specifier.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const PLATFORM_SDKS = [/^@slack\//, /^botbuilder/, /^botframework/, /^@microsoft\//];
const ADAPTERS = ['console', 'slack', 'teams'];
/** Modules that reach outside the process: files, network, processes, logs. */
const IO = /^(node:)?(fs|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)(\/|$)|^(ioredis|pino)$/;

interface Import {
  file: string;
  specifier: string;
  /** Repository-relative path of a relative import, without extension; undefined for a package. */
  target?: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)'([^']+)'/gm)) {
    const specifier = m[1];
    const target = specifier.startsWith('.') ? path.relative(ROOT, path.join(ROOT, path.dirname(file), specifier)) : undefined;
    found.push({ file, specifier, target });
  }
  return found;
}

function topOf(target: string): string {
  return target.split(path.sep)[0];
}

function adapterOf(target: string): string | undefined {
  const [top, name] = target.split(path.sep);
  return top === 'adapters' ? name : undefined;
}

const show = (list: Import[]): string[] => list.map((i) => `${i.file}: ${i.specifier}`);

describe('import arrows', () => {
  it('reads imports of every form the code uses (the check itself can see a breach)', () => {
    expect(importsOf('bin/main.ts').map((i) => i.target)).toEqual(expect.arrayContaining([path.join('adapters', 'slack', 'settings'), path.join('bin', 'app'), path.join('bin', 'run-server')]));
    expect(importsOf('adapters/slack/slack-adapter.ts').map((i) => i.specifier)).toContain('@slack/bolt');
  });

  it('src/ imports neither an adapter, nor bin/, nor a platform SDK', () => {
    const bad = tsFiles('src')
      .flatMap(importsOf)
      .filter((i) => (i.target ? ['adapters', 'bin'].includes(topOf(i.target)) : PLATFORM_SDKS.some((re) => re.test(i.specifier))));
    expect(show(bad)).toEqual([]);
  });

  it('an adapter imports no other adapter and not bin/', () => {
    const bad = ADAPTERS.flatMap((name) =>
      tsFiles(path.join('adapters', name))
        .flatMap(importsOf)
        .filter((i) => i.target && (topOf(i.target) === 'bin' || (adapterOf(i.target) !== undefined && adapterOf(i.target) !== name))),
    );
    expect(show(bad)).toEqual([]);
  });

  it('an adapter keeps its state through the core\'s port (src/core/adapter-state.ts), never the Store itself', () => {
    const bad = ADAPTERS.flatMap((name) => tsFiles(path.join('adapters', name)))
      .flatMap(importsOf)
      .filter((i) => i.target && i.target.startsWith(path.join('src', 'store')));
    expect(show(bad)).toEqual([]);
  });

  it('adapters/ holds only the platform folders', () => {
    const entries = readdirSync(path.join(ROOT, 'adapters'), { withFileTypes: true });
    expect(entries.filter((e) => !e.isDirectory()).map((e) => e.name)).toEqual([]);
    expect(entries.map((e) => e.name).sort()).toEqual(ADAPTERS);
  });

  it('src/domain/ does no I/O and uses neither the core nor the Store', () => {
    const bad = tsFiles(path.join('src', 'domain'))
      .flatMap(importsOf)
      .filter((i) => (i.target ? !i.target.startsWith(path.join('src', 'domain')) : IO.test(i.specifier)));
    expect(show(bad)).toEqual([]);
  });
});
