/**
 * Starts the console adapter on an opened app and runs until input ends, /avsluta, SIGTERM or
 * SIGINT, or the output is closed (`| head`). Each of them lets the command in flight be answered
 * (it may already be stored), then closes the app and lets go of stdin so the process can end.
 */
import type { Readable, Writable } from 'node:stream';
import type { Core } from '../../src/core/core';
import type { AdapterDelivery } from '../../src/core/delivery';
import type { Committee } from '../../src/domain/committee';
import { ConsoleAdapter } from './console-adapter';

/** What the console needs from the entry. `App` in bin/app.ts has all of it. */
export interface ConsoleDeps {
  committees: Committee[];
  core: Core;
  delivery: AdapterDelivery;
  close(): Promise<void>;
}

export interface RunConsoleOptions {
  as?: string;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  filesDir: string;
  /** Where SIGTERM and SIGINT come from (the process). Without it signals are left alone. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

export async function runConsole(app: ConsoleDeps, options: RunConsoleOptions): Promise<number> {
  const as = options.as ?? defaultMember(app);
  const known = app.committees.some((c) => c.members.some((m) => m.identities.console === as || m.id === as));
  if (!known) {
    options.stdout.write(`Det finns ingen med id "${as}" i nämndfilerna. Välj ett id ur nämndfilen, till exempel --as ${defaultMember(app)}.\n`);
    await app.close();
    return 2;
  }
  const adapter = new ConsoleAdapter({
    core: app.core,
    input: options.stdin,
    output: options.stdout,
    as,
    interactive: Boolean(options.stdin.isTTY),
    filesDir: options.filesDir,
  });
  app.delivery.register(adapter);
  const finish = () => void adapter.finish();
  const outputGone = (err: NodeJS.ErrnoException) => {
    // The reader went away (EPIPE): nothing more can be shown, so end as /avsluta does.
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') finish();
  };
  options.signals?.on('SIGTERM', finish);
  options.signals?.on('SIGINT', finish);
  options.stdout.on('error', outputGone);
  try {
    await adapter.start();
    await adapter.done;
    await adapter.stop();
    await app.close();
  } finally {
    options.signals?.off('SIGTERM', finish);
    options.signals?.off('SIGINT', finish);
    // A pipe or terminal still open would keep the process alive after /avsluta.
    options.stdin.destroy();
  }
  return 0;
}

/** The secretary of the first committee: the bot's main user. */
function defaultMember(app: ConsoleDeps): string {
  const c = app.committees[0];
  const m = c.members.find((x) => x.role === 'sekreterare') ?? c.members[0];
  return m.identities.console ?? m.id;
}
