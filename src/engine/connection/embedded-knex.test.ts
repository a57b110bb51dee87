// Knex on the embedded database: PGlite's start (initdb on a new folder) may take longer than the
// 30 s Knex's pool gives a new connection on a busy machine; a start that fails ends its thread.
// The PGlite handle is a stand-in here, so the start's length and outcome are the test's to choose.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Knex } from 'knex';
import type { PgliteHandle, PgliteResults } from '../database/pglite-in-worker';
import { createEngineContext } from '../engine-context';
import { connectOptions, createKnex, type ConnectionTarget } from './connection-target';

interface StandIn extends PgliteHandle {
  started: () => boolean;
  finishStart: () => void;
  failStart: (error: Error) => void;
  closed: number;
}

let standIn: StandIn;

function makeStandIn(): StandIn {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  ready.catch(() => {});
  let awaited = false;
  const handle: StandIn = {
    get waitReady() {
      awaited = true;
      return ready;
    },
    started: () => awaited,
    finishStart: resolve,
    failStart: reject,
    closed: 0,
    async query<T>(sql: string) {
      const rows = /version\(\)/.test(sql) ? [{ version: 'PostgreSQL 17.4 on x86_64-pc-linux-gnu' }] : [{ n: 1 }];
      return { rows, fields: [], affectedRows: 0 } as unknown as PgliteResults<T>;
    },
    async close() {
      handle.closed += 1;
    },
  };
  return handle;
}

vi.mock('../database/pglite-in-worker', () => ({ startPgliteInWorker: () => standIn }));

const demo: ConnectionTarget = { profile: { id: 'demo', name: 'Demo', environment: 'local', kind: 'embedded', database: '/nowhere/demo-db' } as ConnectionTarget['profile'] };
const options = connectOptions(createEngineContext(), 'session');

afterEach(() => {
  vi.useRealTimers();
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

describe('Knex on the embedded database', () => {
  it('waits for a start longer than the pool\'s 30 s connection deadline, then answers', async () => {
    standIn = makeStandIn();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    let knex: Knex | undefined;
    const answer = createKnex(demo, options).then(async (k) => {
      knex = k;
      return k.raw('select 1 as n');
    });
    await until(standIn.started);
    await vi.advanceTimersByTimeAsync(45_000);
    standIn.finishStart();
    try {
      expect((await answer).rows).toEqual([{ n: 1 }]);
    } finally {
      vi.useRealTimers();
      await knex?.destroy();
    }
  });

  it('ends the embedded database\'s thread when its start fails, and says why', async () => {
    standIn = makeStandIn();
    const opening = createKnex(demo, options);
    await until(standIn.started);
    standIn.failStart(new Error('initdb failed: no space left on device'));
    await expect(opening).rejects.toThrow('no space left on device');
    expect(standIn.closed).toBe(1);
  });
});
