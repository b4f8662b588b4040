/**
 * What a member is told when the Store fails, and that sending the same again lands once. The
 * Store is the real file store; a thin wrapper makes one append fail the way a broken
 * connection does: after the write ran (its answer lost), or before it was sent.
 */
import { STORE_DOWN_TEXT, STORE_FULL_TEXT, STORE_UNKNOWN_TEXT } from '../../src/core/core';
import { FileStore } from '../../src/store/file-store';
import { type Store, StoreUnavailableError } from '../../src/store/store';
import { makeHarness, type Harness } from '../support/harness';

const AMIRA = 'amira.haddad';

type Failure = { after: boolean; error: StoreUnavailableError } | undefined;

/** The real store; the next append fails once as `failNext` says. */
function failingOnce(store: Store, state: { failNext: Failure }): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'append') {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      }
      return async (...args: Parameters<Store['append']>) => {
        const failure = state.failNext;
        state.failNext = undefined;
        if (failure && !failure.after) throw failure.error;
        const stored = await target.append(...args);
        if (failure) throw failure.error;
        return stored;
      };
    },
  });
}

let h: Harness;
const control: { failNext: Failure } = { failNext: undefined };
beforeEach(async () => {
  h = await makeHarness({ store: async (dir) => failingOnce(await FileStore.open({ dataDir: dir }), control) });
});
afterEach(async () => h.close());

const announced = async () => (await h.store.readEvents('kfn', 0)).filter((e) => e.type === 'fraga.announced');

test('the write ran but its answer was lost: the member hears that it is not known, and sending it again lands once', async () => {
  control.failNext = { after: true, error: new StoreUnavailableError('connection lost', { written: 'unknown' }) };
  const first = await h.text(AMIRA, 'övrig fråga Hur går arbetet med badhuset?');
  expect(first).toBe(STORE_UNKNOWN_TEXT);
  expect(first).not.toContain('inget har sparats');
  expect(await announced()).toHaveLength(1);
  const again = await h.text(AMIRA, 'övrig fråga Hur går arbetet med badhuset?');
  expect(again).toContain('Din övriga fråga F1 är redan anmäld');
  expect(again).toContain('Inget nytt sparades.');
  expect(await announced()).toHaveLength(1);
});

test('the outcome was unknown and nothing was written: sending it again records it, once', async () => {
  control.failNext = { after: false, error: new StoreUnavailableError('timeout', { written: 'unknown' }) };
  expect(await h.text(AMIRA, 'övrig fråga Hur går arbetet med badhuset?')).toBe(STORE_UNKNOWN_TEXT);
  expect(await announced()).toHaveLength(0);
  expect(await h.text(AMIRA, 'övrig fråga Hur går arbetet med badhuset?')).toContain('Din övriga fråga F1 är anmäld');
  expect(await announced()).toHaveLength(1);
});

test('"inget har sparats" only when certain; a full disk is named', async () => {
  control.failNext = { after: false, error: new StoreUnavailableError('not connected', { written: 'no' }) };
  expect(await h.text(AMIRA, 'övrig fråga Första?')).toBe(STORE_DOWN_TEXT);
  control.failNext = { after: false, error: new StoreUnavailableError('ENOSPC', { written: 'no', diskFull: true }) };
  expect(await h.text(AMIRA, 'övrig fråga Första?')).toBe(STORE_FULL_TEXT);
  expect(await announced()).toHaveLength(0);
});

test('a different question, or the same one after it was withdrawn, is a new question', async () => {
  await h.text(AMIRA, 'övrig fråga Hur går arbetet med badhuset?');
  expect(await h.text(AMIRA, 'övrig fråga När öppnar biblioteket?')).toContain('F2 är anmäld');
  await h.text(AMIRA, 'övrig fråga återkalla F1');
  expect(await h.text(AMIRA, 'övrig fråga Hur går arbetet med badhuset?')).toContain('F3 är anmäld');
});
