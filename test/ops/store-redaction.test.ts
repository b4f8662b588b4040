/**
 * Retention must remove personal data from storage, not only from what the Store returns: after
 * `redact` and `deleteValue` the old bytes are gone from the file store's files (and come back
 * redacted after a restart), and from Redis's keys.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NewEvent, StoredEvent } from '../../src/domain/records';
import { GALLRAD, redacted } from '../../src/ops/retention';
import { FileStore } from '../../src/store/file-store';
import type { Store } from '../../src/store/store';
import { adminClient, describeRedis, openTestStore } from '../support/redis';

const SECRET_REASON = 'Jag opereras den veckan';
const SECRET_NAME = 'Okänd Person i teamet';

function events(): NewEvent[] {
  const at = '2026-11-05T09:00:00.000Z';
  return [
    { id: 'e1', at, actor: { memberId: 'amira.haddad', via: 'slack' }, type: 'jav.declared', declarationId: 'J1', meetingId: 'm1', lopnummer: '72/26', memberId: 'amira.haddad', ground: 'partsjav', motivation: 'Min bror äger bolaget' },
    { id: 'e2', at, actor: { memberId: 'amira.haddad', via: 'slack' }, type: 'forhinder.reported', forhinderId: 'H1', meetingId: 'm1', memberId: 'amira.haddad', lopnummer: [] },
    { id: 'e3', at, actor: { via: 'system' }, type: 'ersattare.asked', askId: 'E1', forhinderId: 'H1', ersattareId: 'nils.holmgren', deadline: '2026-11-06T09:00:00.000Z' },
    { id: 'e4', at, actor: { memberId: 'nils.holmgren', via: 'teams' }, type: 'ersattare.declined', askId: 'E1', reason: SECRET_REASON },
  ];
}

async function redactAndDelete(store: Store): Promise<StoredEvent[]> {
  await store.append('kfn', events());
  await store.setValue('teams:ref:stranger', { user: { name: SECRET_NAME } });
  await store.setValue('teams:ref:member', { user: { name: 'Karin' } });
  const stored = await store.readEvents('kfn', 0);
  await store.redact('kfn', stored.slice(1).map(redacted));
  await store.deleteValue('teams:ref:stranger');
  return stored;
}

/** Every file's bytes. A file gone between the listing and the read (a rewrite's temporary file, renamed meanwhile) holds none. */
async function allBytes(dir: string): Promise<string> {
  let out = '';
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    try {
      out += await readFile(path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out;
}

test('FileStore: the redacted fields and the deleted value are gone from the files, and stay redacted after a restart', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-redaction-'));
  try {
    const store = await FileStore.open({ dataDir: dir });
    const stored = await redactAndDelete(store);
    // The stream file is rewritten before redact resolves.
    let bytes = await allBytes(dir);
    expect(bytes).not.toContain(SECRET_REASON);
    expect(bytes).not.toContain('nils.holmgren');
    // The values file within a second of the delete (deletes share one rewrite).
    const deadline = Date.now() + 3000;
    while (bytes.includes(SECRET_NAME) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      bytes = await allBytes(dir);
    }
    expect(bytes).not.toContain(SECRET_NAME);
    expect(bytes).not.toContain('teams:ref:stranger');
    // The public record is untouched.
    expect(bytes).toContain('Min bror äger bolaget');
    await store.close();

    // Closed right after a delete: the rewrite happens at close.
    const quick = await FileStore.open({ dataDir: dir });
    await quick.setValue('teams:ref:other', { user: { name: 'Ännu en okänd' } });
    await quick.deleteValue('teams:ref:other');
    await quick.close();
    expect(await allBytes(dir)).not.toContain('Ännu en okänd');

    const again = await FileStore.open({ dataDir: dir });
    try {
      const read = await again.readEvents('kfn', 0);
      expect(read).toEqual([stored[0], ...stored.slice(1).map(redacted)]);
      expect(read[1]).toMatchObject({ type: 'forhinder.reported', memberId: GALLRAD, actor: { via: 'slack' } });
      expect(read[1]!.actor.memberId).toBeUndefined();
      expect(read[3]).not.toHaveProperty('reason');
      expect(await again.valueKeys('teams:ref:')).toEqual(['teams:ref:member']);
      // Appends go on after the rewrite.
      const [next] = await again.append('kfn', [{ ...events()[0]!, id: 'e5' } as NewEvent], 4);
      expect(next!.seq).toBe(5);
    } finally {
      await again.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describeRedis('RedisStore redaction', () => {
  test('the redacted fields and the deleted value are gone from the keys', async () => {
    const { store, prefix, cleanup } = await openTestStore('redaction');
    const admin = adminClient();
    try {
      await redactAndDelete(store);
      const raw = (await admin.lrange(store.eventsKey('kfn'), 0, -1)).join('\n');
      expect(raw).not.toContain(SECRET_REASON);
      expect(raw).not.toContain('nils.holmgren');
      expect(raw).toContain('Min bror äger bolaget');
      expect(await admin.exists(`${prefix}value:teams:ref:stranger`)).toBe(0);
      expect(await admin.exists(`${prefix}value:teams:ref:member`)).toBe(1);
    } finally {
      admin.disconnect();
      await cleanup();
    }
  });
});
