/**
 * `npm ci` on a fresh clone is CI's first step. npm 11.19 refuses a lockfile with a version-less
 * entry under `packages` ("Invalid Version"); npm 11.13 wrote such entries for optional platform
 * bindings it could not place. This keeps a rewritten lockfile honest before CI finds out.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  link?: boolean;
}

const lock = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

describe('package-lock.json', () => {
  it('is a lockfile npm 7 and later read (lockfileVersion 3)', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('gives every installed package a version', () => {
    const versionless = Object.entries(lock.packages)
      .filter(([where, entry]) => where !== '' && !entry.link && !entry.version)
      .map(([where]) => where);
    expect(versionless).toEqual([]);
  });
});
