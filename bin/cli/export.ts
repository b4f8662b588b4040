/**
 * `namndbot export`: every committee's records as CSV (for Excel and the diarium) and JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { exportCsv, exportRows } from '../../src/core/export';
import type { App } from '../app';
import { count } from '../../src/domain/text';

export async function runExport(app: App, options: { outDir: string; stdout: Writable }): Promise<number> {
  await mkdir(options.outDir, { recursive: true });
  for (const committee of app.committees) {
    const rows = exportRows(committee, await app.store.readEvents(committee.id, 0));
    const base = path.join(options.outDir, `${committee.id}-handlingar`);
    await writeFile(`${base}.csv`, exportCsv(rows));
    await writeFile(`${base}.json`, `${JSON.stringify({ committee: committee.id, name: committee.name, exportedAt: app.clock.now().toISOString(), records: rows }, null, 2)}\n`);
    options.stdout.write(`${committee.name}: ${count(rows.length, 'post', 'poster')} → ${base}.csv, ${base}.json\n`);
  }
  return 0;
}
