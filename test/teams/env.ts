/**
 * A whole Nämndbot with the Teams adapter for end-to-end tests and the bench: the real Core,
 * wired by the app's own `wireApp`, the real FileStore in a temp dir, examples/kfn.yaml, a
 * ManualClock at 2027-01-10 10:00, the real CloudAdapter on a local port, and a fake Bot Connector.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wireApp } from '../../bin/app';
import { loadCommitteeFile } from '../../src/config/committee-file';
import type { Core } from '../../src/core/core';
import type { RateLimitOptions } from '../../src/core/rate-limit';
import type { AdapterDelivery } from '../../src/core/delivery';
import { silentLogger, type Logger } from '../../src/core/logger';
import { ManualClock } from '../../src/domain/clock';
import { FileStore } from '../../src/store/file-store';
import type { Store } from '../../src/store/store';
import { startTeams, type TeamsAdapter } from '../../adapters/teams';
import type { TeamsAdapterOptions } from '../../adapters/teams/teams-adapter';
import type { TeamsSettings } from '../../adapters/teams/settings';
import { closeClientSockets, FakeConnector, type Person } from './fake-connector';

export const NOW = '2027-01-10T10:00:00+01:00';

/** People from examples/kfn.yaml, by their Teams AAD object ids. */
export const PEOPLE = {
  tomas: { aadObjectId: 'cb6cbef3-ee8e-4707-a51b-96b330110122', id: '29:tomas', name: 'Tomas Engström' },
  lena: { aadObjectId: '7db44cdc-a802-4d6b-8009-48ec61e7b569', id: '29:lena', name: 'Lena Forsberg' },
  helena: { aadObjectId: 'e6a1a34a-8485-4d91-acd9-0fba4a54e1b2', id: '29:helena', name: 'Helena Sandberg' },
  sofia: { aadObjectId: 'b21371d3-4c0b-4eae-9845-fb7957c06c07', id: '29:sofia', name: 'Sofia Bergkvist' },
  ingrid: { aadObjectId: 'b559db4b-0817-45ff-af33-eb8251d72f1c', id: '29:ingrid', name: 'Ingrid Dahl' },
  karin: { aadObjectId: '65a2dd64-b4b3-436a-8dec-c657e9eb31b0', id: '29:karin', name: 'Karin Lundqvist' },
  maria: { aadObjectId: 'b3b6c5c6-c042-4b86-be8e-190baa6042b6', id: '29:maria', name: 'Maria Ekström' },
  stranger: { aadObjectId: '0f0f0f0f-1111-4222-8333-444455556666', id: '29:stranger', name: 'Okänd Person' },
} satisfies Record<string, Person>;

export interface TeamsEnv {
  core: Core;
  store: Store;
  delivery: AdapterDelivery;
  clock: ManualClock;
  adapter: TeamsAdapter;
  fake: FakeConnector;
  serviceUrl: string;
  botUrl: string;
  close(): Promise<void>;
}

export interface TeamsEnvOptions {
  settings?: Partial<TeamsSettings>;
  /** Default 2027-01-10 10:00, eleven days before the January meeting. */
  now?: string;
  rateLimit?: RateLimitOptions;
  /** Adapter options, e.g. an authentication that reads the signing keys from a local server. */
  adapter?: TeamsAdapterOptions;
  /** The bot's logger (the core's and the adapter's, as in production); silent by default. */
  logger?: Logger;
  /** Another committee file than examples/kfn.yaml (with the same Teams ids). */
  committeeFile?: string;
}

export async function openTeamsEnv(options: TeamsEnvOptions = {}): Promise<TeamsEnv> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-teams-'));
  const clock = new ManualClock(options.now ?? NOW);
  const opened = await FileStore.open({ dataDir: dir, clock });
  const committee = await loadCommitteeFile(options.committeeFile ?? path.join(__dirname, '../../examples/kfn.yaml'));
  const logger = options.logger ?? silentLogger;
  const { core, store, delivery } = wireApp({ committees: [committee], store: opened, clock, logger, rateLimit: options.rateLimit, processMetrics: false });
  const fake = new FakeConnector();
  const serviceUrl = await fake.start();
  const adapter = await startTeams(
    { core, delivery, logger },
    { auth: { mode: 'none' }, port: 0, ...options.settings },
    { warn: () => undefined, ...options.adapter },
  );
  return {
    core,
    store,
    delivery,
    clock,
    adapter,
    fake,
    serviceUrl,
    botUrl: `http://127.0.0.1:${adapter.port}`,
    async close() {
      await adapter.stop();
      await fake.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---- reading what the bot sent ------------------------------------------------------------

type Json = Record<string, any>;

export function cardOf(activity: Json): Json | undefined {
  return activity.attachments?.find((a: Json) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every element of a card, depth first (containers' items, action sets' actions). */
export function elements(node: Json | undefined): Json[] {
  if (!node) return [];
  const out: Json[] = [];
  const walk = (n: Json) => {
    out.push(n);
    for (const key of ['body', 'items', 'actions']) if (Array.isArray(n[key])) n[key].forEach(walk);
  };
  walk(node);
  return out;
}

/** All visible text of a message: plain text, card text blocks, facts and choices. */
export function visibleText(activity: Json): string {
  const parts: string[] = [];
  if (typeof activity.text === 'string') parts.push(activity.text);
  for (const e of elements(cardOf(activity))) {
    if (e.type === 'TextBlock') parts.push(e.text);
    if (e.type === 'FactSet') for (const f of e.facts) parts.push(`${f.title}: ${f.value}`);
    if (e.type === 'Input.ChoiceSet') for (const c of e.choices) parts.push(c.title);
    if (typeof e.label === 'string') parts.push(e.label);
  }
  return parts.join('\n');
}

/** The data of a form's submit button, as Teams will send it back. */
export function formSubmitData(activity: Json): Json | undefined {
  return elements(cardOf(activity)).find((e) => e.type === 'Action.Submit' && e.data?.namndbot?.kind === 'form')?.data;
}

export function buttonData(activity: Json, title: string): Json | undefined {
  return elements(cardOf(activity)).find((e) => e.type === 'Action.Submit' && e.title === title)?.data;
}

/** One environment for a whole test file, the fake's record cleared before each test: call at the top level. */
export function sharedTeamsEnv(options: TeamsEnvOptions = {}): () => TeamsEnv {
  let env: TeamsEnv | undefined;
  beforeAll(async () => {
    env = await openTeamsEnv(options);
  });
  afterAll(async () => {
    await env?.close();
    closeClientSockets();
  });
  beforeEach(() => env?.fake.reset());
  return () => env!;
}
