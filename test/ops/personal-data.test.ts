/**
 * Personal data through the real command line, on a data folder the core filled in:
 *
 * - `namndbot member export <id>` writes everything stored about a member as JSON;
 * - `namndbot retention` (NAMNDBOT_RETENTION_DAYS) removes personal data of a closed meeting
 *   and of someone who left the committee, keeps the public records whole, leaves the open
 *   meeting alone, and deletes Teams references of people in no committee.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core } from '../../src/core/core';
import { AdapterDelivery } from '../../src/core/delivery';
import type { Incoming } from '../../src/core/incoming';
import { ManualClock } from '../../src/domain/clock';
import type { EventPayload, StoredEvent } from '../../src/domain/records';
import { GALLRAD } from '../../src/ops/retention';
import { FileStore } from '../../src/store/file-store';
import { runCli } from '../support/cli';
import { plain } from '../support/harness';
import { RecordingAdapter } from '../support/recording-adapter';
import { EXAMPLE } from './support';

const KARIN_AAD = '65a2dd64-b4b3-436a-8dec-c657e9eb31b0';
const STRANGER_AAD = '0f0f0f0f-1111-4222-8333-444455556666';
const NOV = 'kfn-2026-11-12';
const SICK = 'Jag opereras den veckan';
const REMOVED_ENGAGEMENT = 'Åby Tennisklubb';
const FORMER_ENGAGEMENT = 'Sandbergs Bygg AB';

let dir: string;

/** The November meeting held, justerat and anslaget; a förhinder for January still open. */
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'namndbot-personal-'));
  const clock = new ManualClock('2026-11-05T10:00:00+01:00');
  const store = await FileStore.open({ dataDir: dir, clock });
  const committee = await loadCommitteeFile(EXAMPLE);
  const delivery = new AdapterDelivery();
  delivery.register(new RecordingAdapter('console'));
  const core = new Core({ committees: [committee], store, clock, delivery });
  let n = 0;
  const say = async (as: string, text: string) =>
    plain(await core.handle({ deliveryId: `p${++n}`, platform: 'console', platformUserId: as, place: { kind: 'private' }, input: { kind: 'text', text } } satisfies Incoming));
  const record = (events: EventPayload[]) => core.log.execute('kfn', { via: 'system' }, () => ({ events, replies: [] }));

  expect(await say('amira.haddad', 'jäv möte 2026-11-12 72/26 part Min bror äger bolaget')).toContain('Jäv anmält');
  expect(await say('amira.haddad', 'övrig fråga möte 2026-11-12 Hur går det med konstgräsplanen?')).toContain('är anmäld');
  expect(await say('amira.haddad', 'förhinder möte 2026-11-12')).toContain('Förhinder anmält');
  expect(await say('nils.holmgren', `ersättare nej E1 ${SICK}`)).toContain('Tack för beskedet');
  expect(await say('elin.hedlund', 'ersättare ja E2')).toContain('Tack!');
  expect(await say('amira.haddad', 'förhinder möte 2027-01-21')).toContain('Förhinder anmält');
  expect(await say('amira.haddad', 'engagemang styrelse Sjöbacka Ridklubb 802456-7890')).toContain('registrerat');
  expect(await say('amira.haddad', `engagemang styrelse ${REMOVED_ENGAGEMENT}`)).toContain('registrerat');
  expect(await say('amira.haddad', 'engagemang ta bort I2')).toMatch(/borttaget|tagit bort|togs bort/i);
  expect(await say('helena.sandberg', `engagemang styrelse ${FORMER_ENGAGEMENT}`)).toContain('registrerat');
  await record([
    { type: 'identity.linked', memberId: 'amira.haddad', platform: 'slack', platformUserId: 'U0AMIRA002' },
    { type: 'identity.linked', memberId: 'helena.sandberg', platform: 'slack', platformUserId: 'U0HELENA02' },
    { type: 'javhint.sent', meetingId: NOV, lopnummer: '73/26', memberId: 'amira.haddad', keys: [`${NOV}|73/26|amira.haddad|I1|title|name|abcdef`] },
    { type: 'reminder.sent', reminderId: `kfn:${NOV}:kallelse.members:amira.haddad:out@2026-11-05`, recipientId: 'amira.haddad' },
    { type: 'reminder.dropped', reminderId: `kfn:${NOV}:kallelse.members:tomas.engstrom:out@2026-11-05`, reason: 'unreachable: teams: Ledamoten har blockerat Nämndbot i Teams.' },
  ]);
  clock.set('2026-11-12T17:00:00+01:00');
  expect(await say('maria.ekstrom', 'justering möte 2026-11-12 amira.haddad helena.sandberg')).toContain('Justering');
  clock.set('2026-11-16T10:00:00+01:00');
  expect(await say('amira.haddad', 'justerat möte 2026-11-12')).toMatch(/justerat/i);
  expect(await say('helena.sandberg', 'justerat möte 2026-11-12')).toMatch(/justerat/i);
  clock.set('2026-11-18T10:00:00+01:00');
  expect(await say('maria.ekstrom', 'anslaget 2026-11-18 2026-11-12')).toMatch(/[Aa]nslag/);
  await store.setValue(`teams:ref:${KARIN_AAD}`, { serviceUrl: 'https://smba.example/emea/', conversation: { id: 'a:karin' }, user: { id: '29:karin', aadObjectId: KARIN_AAD } });
  await store.setValue(`teams:ref:${STRANGER_AAD}`, { serviceUrl: 'https://smba.example/emea/', conversation: { id: 'a:stranger' }, user: { id: '29:stranger', name: 'Okänd Person' } });
  await store.setValue(`teams:member:${STRANGER_AAD}`, { userId: '29:stranger', serviceUrl: 'https://smba.example/emea/' });
  await store.setValue(`reminder-retry:kfn:${NOV}:justering:amira.haddad:wd0@2026-11-19`, { attempts: 1, nextAt: 0 });
  await store.close();
}, 30_000);

afterAll(async () => rm(dir, { recursive: true, force: true }));

async function readAll(dataDir: string): Promise<StoredEvent[]> {
  const store = await FileStore.open({ dataDir });
  try {
    return await store.readEvents('kfn', 0);
  } finally {
    await store.close();
  }
}

test('member export writes everything stored about a member as JSON', async () => {
  const out = path.join(dir, 'ut', 'amira.json');
  const r = await runCli(['member', 'export', 'amira.haddad', '--out', out], '', { NAMNDBOT_DATA_DIR: dir, LOG_LEVEL: 'warn' });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Uppgifterna om amira\.haddad \(1 nämnd, \d+ poster\) är sparade/);
  const data = JSON.parse(await readFile(out, 'utf8'));
  expect(data.id).toBe('amira.haddad');
  const [kfn] = data.nämnder;
  expect(kfn.nämnd).toEqual({ id: 'kfn', namn: 'Kultur- och fritidsnämnden' });
  expect(kfn.nämndfilen).toMatchObject({ id: 'amira.haddad', name: 'Amira Haddad', party: 'S', identities: { slack: ['U0BV9FWYA1P'] } });
  expect(kfn.jäv).toEqual([expect.objectContaining({ lopnummer: '72/26', motivation: 'Min bror äger bolaget' })]);
  expect(kfn.övrigaFrågor).toEqual([expect.objectContaining({ text: 'Hur går det med konstgräsplanen?' })]);
  expect(kfn.justering).toEqual([expect.objectContaining({ meetingId: NOV, justeratVid: expect.any(String) })]);
  expect(kfn.förhinder.map((f: { meetingId: string }) => f.meetingId).sort()).toEqual([NOV, 'kfn-2027-01-21']);
  // The asks made for her förhinder, with Nils's decline and its reason.
  expect(kfn.ersättarförfrågningar).toEqual(expect.arrayContaining([expect.objectContaining({ ersattareId: 'nils.holmgren', status: 'declined', reason: SICK })]));
  expect(kfn.intressen.map((i: { name: string; removedAt?: string }) => [i.name, Boolean(i.removedAt)])).toEqual([
    ['Sjöbacka Ridklubb', false],
    [REMOVED_ENGAGEMENT, true],
  ]);
  expect(kfn.kontokopplingar).toEqual([{ plattform: 'slack', id: 'U0AMIRA002' }]);
  const types = kfn.poster.map((e: StoredEvent) => e.type);
  for (const t of ['jav.declared', 'fraga.announced', 'forhinder.reported', 'ersattare.asked', 'ersattare.declined', 'ersattare.accepted', 'interest.recorded', 'interest.removed', 'identity.linked', 'javhint.sent', 'reminder.sent', 'justering.recorded', 'justering.signed']) {
    expect(types).toContain(t);
  }
  // Not someone else's records: Helena's engagement, Tomas's dropped reminder.
  expect(JSON.stringify(kfn.poster)).not.toContain(FORMER_ENGAGEMENT);
  expect(JSON.stringify(kfn.poster)).not.toContain('tomas.engstrom');
  expect(Object.keys(data.påminnelseförsök)).toEqual([`reminder-retry:kfn:${NOV}:justering:amira.haddad:wd0@2026-11-19`]);

  // Teams: the stored conversation reference of someone with a Teams identity.
  const karin = await runCli(['member', 'export', 'karin.lundqvist'], '', { NAMNDBOT_DATA_DIR: dir, LOG_LEVEL: 'warn' });
  expect(karin.code).toBe(0);
  expect(JSON.parse(karin.stdout).plattformsuppgifter).toEqual({ teams: { [KARIN_AAD]: { ref: expect.objectContaining({ conversation: { id: 'a:karin' } }) } } });

  const unknown = await runCli(['member', 'export', 'ingen.alls'], '', { NAMNDBOT_DATA_DIR: dir, LOG_LEVEL: 'warn' });
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('Nämndbot har inget sparat om "ingen.alls"');
}, 30_000);

test('retention removes personal data of the closed meeting and of a former member, and keeps the public records', async () => {
  // Helena has left the committee: the committee file no longer has her.
  const file = path.join(dir, 'kfn-utan-helena.yaml');
  const yaml = await readFile(EXAMPLE, 'utf8');
  const start = yaml.indexOf('  - id: helena.sandberg');
  await writeFile(file, yaml.slice(0, start) + yaml.slice(yaml.indexOf('  - id:', start + 5)));
  // Överklagande of the November meeting ended 2026-12-09 (anslag 2026-11-18); 30 days after
  // that it is closed. The January meeting is not.
  const env = { NAMNDBOT_DATA_DIR: dir, NAMNDBOT_COMMITTEES: file, NAMNDBOT_RETENTION_DAYS: '30', LOG_LEVEL: 'warn' };
  const original = await readAll(dir);

  // Before the November meeting is closed, only what is not tied to a meeting goes: the
  // engagement Amira removed (more than 30 days ago), Helena's register and account link, and
  // the Teams addresses of someone in no committee.
  const early = await runCli(['retention', '--now', '2027-01-05T10:00:00+01:00'], '', env);
  expect(early.code).toBe(0);
  expect(early.stdout).toContain('0 avslutade sammanträden; gallrat: 2 engagemang i intresseregistret, 1 borttagna engagemang, 1 kontokopplingar');
  expect(early.stdout).toContain('Chattplattformarnas uppgifter (som Teams-adresser) om personer som inte är med i någon nämnd: 2 borttagna');
  const before = await readAll(dir);
  expect(before.filter((e, i) => JSON.stringify(e) !== JSON.stringify(original[i])).map((e) => e.type)).toEqual(['interest.recorded', 'interest.removed', 'interest.recorded', 'identity.linked']);

  const dry = await runCli(['retention', '--dry-run', '--now', '2027-01-15T10:00:00+01:00'], '', env);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toContain('provkörning');
  expect(dry.stdout).toMatch(/1 avslutade sammanträden; skulle gallras: .*förhinder/);
  expect(await readAll(dir)).toEqual(before);

  const r = await runCli(['retention', '--now', '2027-01-15T10:00:00+01:00'], '', env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/1 avslutade sammanträden; gallrat: .*förhinder/);
  expect(r.stdout).toContain('Räknare för påminnelseförsök i avslutade sammanträden: 1 borttagna');

  const after = await readAll(dir);
  expect(after.map((e) => [e.seq, e.id, e.type, e.at])).toEqual(original.map((e) => [e.seq, e.id, e.type, e.at]));
  const byType = (t: string) => after.filter((e) => e.type === t);
  const same = (e: StoredEvent) => expect(e).toEqual(original[e.seq - 1]);
  // Public records: whole.
  for (const t of ['jav.declared', 'fraga.announced', 'justering.recorded', 'justering.signed', 'anslag.recorded']) for (const e of byType(t)) same(e);
  // The closed meeting's förhinder, asks and answers: nobody named, no reason.
  const forhinder = byType('forhinder.reported') as Extract<StoredEvent, { type: 'forhinder.reported' }>[];
  expect(forhinder.find((f) => f.meetingId === NOV)).toMatchObject({ memberId: GALLRAD, actor: { via: 'console' } });
  expect(forhinder.find((f) => f.meetingId === NOV)!.actor.memberId).toBeUndefined();
  // The January förhinder is untouched: that meeting is not closed.
  same(forhinder.find((f) => f.meetingId === 'kfn-2027-01-21')!);
  const asks = byType('ersattare.asked') as Extract<StoredEvent, { type: 'ersattare.asked' }>[];
  expect(asks.filter((a) => a.ersattareId === GALLRAD)).toHaveLength(2);
  expect(asks.filter((a) => a.ersattareId !== GALLRAD)).toHaveLength(1);
  expect(byType('ersattare.declined')[0]).not.toHaveProperty('reason');
  expect(byType('javhint.sent')[0]).toMatchObject({ memberId: GALLRAD, keys: [] });
  expect(byType('reminder.sent')[0]).toMatchObject({ recipientId: GALLRAD, reminderId: `kfn:${NOV}:kallelse.members:${GALLRAD}:out@2026-11-05` });
  expect(byType('reminder.dropped')[0]).toMatchObject({ reason: 'unreachable', reminderId: `kfn:${NOV}:kallelse.members:${GALLRAD}:out@2026-11-05` });
  // The register: the engagement Amira removed, and all of Helena's (she left); Amira's current one stays.
  const interests = byType('interest.recorded') as Extract<StoredEvent, { type: 'interest.recorded' }>[];
  expect(interests.map((i) => i.name)).toEqual(['Sjöbacka Ridklubb', GALLRAD, GALLRAD]);
  // Account links: Helena's goes, Amira's stays.
  expect(byType('identity.linked').map((e) => (e as Extract<StoredEvent, { type: 'identity.linked' }>).platformUserId)).toEqual(['U0AMIRA002', GALLRAD]);

  // Gone from the disk, not only from what the store returns.
  let bytes = '';
  for (const f of await readdir(dir, { recursive: true })) {
    const p = path.join(dir, f);
    if (/\.jsonl$/.test(p)) bytes += await readFile(p, 'utf8');
  }
  for (const gone of [SICK, REMOVED_ENGAGEMENT, FORMER_ENGAGEMENT, 'U0HELENA02', STRANGER_AAD, 'Okänd Person', 'tomas.engstrom']) {
    expect({ gone, onDisk: bytes.includes(gone) }).toEqual({ gone, onDisk: false });
  }
  expect(bytes).toContain(KARIN_AAD);
  expect(bytes).toContain('Min bror äger bolaget');
  expect(bytes).toContain('Hur går det med konstgräsplanen?');
}, 30_000);

test('retention is off unless NAMNDBOT_RETENTION_DAYS is set', async () => {
  const r = await runCli(['retention'], '', { NAMNDBOT_DATA_DIR: dir, LOG_LEVEL: 'warn', NAMNDBOT_RETENTION_DAYS: '' });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('Gallring är avstängd: NAMNDBOT_RETENTION_DAYS är inte satt');
});
