/**
 * `namndbot retention [--dry-run]`: one retention pass now (src/ops/retention.ts), with the
 * period from NAMNDBOT_RETENTION_DAYS (or --days). The server runs the same pass at start and
 * daily; this is for a stopped bot (the file store allows one process) or to see what it does.
 */
import type { Writable } from 'node:stream';
import { runRetention } from '../../src/ops/retention';
import type { App } from '../app';
import { count } from '../../src/domain/text';

const TYPE_LABELS: Record<string, string> = {
  'javhint.sent': 'jävstips',
  'reminder.sent': 'skickade påminnelser',
  'reminder.dropped': 'strukna påminnelser',
  'forhinder.reported': 'förhinder',
  'forhinder.withdrawn': 'återkallade förhinder',
  'ersattare.asked': 'förfrågningar till ersättare',
  'ersattare.accepted': 'ja från ersättare',
  'ersattare.declined': 'nej och återbud från ersättare',
  'ersattare.timedOut': 'obesvarade förfrågningar',
  'ersattare.exhausted': 'förhinder utan ersättare',
  'interest.recorded': 'engagemang i intresseregistret',
  'interest.removed': 'borttagna engagemang',
  'identity.linked': 'kontokopplingar',
};

export async function runRetentionCli(app: App, options: { days?: number; dryRun: boolean; stdout: Writable; stderr: Writable }): Promise<number> {
  const days = options.days ?? app.settings.retentionDays;
  if (days === undefined) {
    options.stderr.write('Gallring är avstängd: NAMNDBOT_RETENTION_DAYS är inte satt. Sätt den till antalet dagar efter överklagandetiden (se docs/it/operations.md), eller prova med --days <dagar> --dry-run.\n');
    return 1;
  }
  const report = await runRetention({ store: app.store, committees: app.committees, clock: app.clock, days, dryRun: options.dryRun });
  const verb = options.dryRun ? 'skulle gallras' : 'gallrat';
  options.stdout.write(`Gallring ${report.today}, ${count(days, 'dag', 'dagar')} efter sista dag för överklagande${options.dryRun ? ' (provkörning: inget ändras)' : ''}\n`);
  for (const c of report.committees) {
    const committee = app.committees.find((x) => x.id === c.committeeId);
    const parts = Object.entries(c.counts).map(([type, n]) => `${n} ${TYPE_LABELS[type] ?? type}`);
    options.stdout.write(
      `  ${committee?.name ?? c.committeeId}: ${c.closedMeetings.length} avslutade sammanträden; ${verb}: ${parts.length ? parts.join(', ') : 'inget'}\n`,
    );
  }
  const v = report.valuesDeleted;
  options.stdout.write(`  Chattplattformarnas uppgifter (som Teams-adresser) om personer som inte är med i någon nämnd: ${v.adapterValues} ${options.dryRun ? 'skulle tas bort' : 'borttagna'}\n`);
  options.stdout.write(`  Räknare för påminnelseförsök i avslutade sammanträden: ${v.reminderRetries} ${options.dryRun ? 'skulle tas bort' : 'borttagna'}\n`);
  if (report.unknownStreams.length) {
    options.stdout.write(`  Obs: poster för nämnder som inte finns i nämndfilerna gallras inte: ${report.unknownStreams.join(', ')}\n`);
  }
  options.stdout.write('  Jäv, övriga frågor och beslut om dem, justering och anslag är allmänna handlingar och gallras aldrig här.\n');
  return 0;
}
