/**
 * `namndbot member export <id> [--out <file>]`: everything stored about one person as JSON
 * (src/ops/personal-data.ts), for the secretary to hand over on a request for a registerutdrag.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { exportMember } from '../../src/ops/personal-data';
import type { App } from '../app';
import { count } from '../../src/domain/text';

export async function runMemberExport(app: App, options: { memberId: string; out?: string; stdout: Writable; stderr: Writable }): Promise<number> {
  const data = await exportMember(app.store, app.committees, options.memberId, app.clock.now());
  if (!data) {
    options.stderr.write(`Nämndbot har inget sparat om "${options.memberId}": id:t finns inte i någon nämndfil och inte i några poster. Id:t står under members i nämndfilen, till exempel amira.haddad.\n`);
    return 1;
  }
  const json = `${JSON.stringify(data, null, 2)}\n`;
  if (!options.out) {
    options.stdout.write(json);
    return 0;
  }
  await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
  await writeFile(options.out, json, { mode: 0o600 });
  const records = data.nämnder.reduce((n, p) => n + p.poster.length, 0);
  options.stdout.write(
    `Uppgifterna om ${options.memberId} (${count(data.nämnder.length, 'nämnd', 'nämnder')}, ${count(records, 'post', 'poster')}) är sparade i ${options.out}. ` +
      'Filen innehåller personuppgifter: lämna den bara till personen själv och radera den sedan.\n',
  );
  return 0;
}
