// The lock's session ended by the server while the lock is being taken (a fault trial: every
// Stepstone backend terminated just as an upgrade started). Before, the attempt failed with the
// driver's raw message while the "take it again" handler took the lock on a new connection that
// nobody ever released: the CLI hung with that session open. Now the attempt is made again on a
// new connection, or fails as CONNECTION_LOST with nothing left open or held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { migrationsFolder, targetFor } from '../../../test/targets';
import { openDatabase } from '../database/open-database';
import { acquireAdvisoryLock } from './advisory-lock';

/**
 * A TCP proxy to the test server that cuts a connection (both sockets destroyed, as a terminated
 * backend's socket closes) when it sends pg_try_advisory_lock, for the first `cuts` such sends.
 */
async function cuttingProxy(target: URL, cuts: number): Promise<{ url: string; open: () => number; cutCount: () => number; close: () => Promise<void> }> {
  let cut = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client);
    const forget = () => {
      sockets.delete(client);
      upstream.destroy();
      client.destroy();
    };
    client.on('close', forget).on('error', forget);
    upstream.on('close', forget).on('error', forget);
    client.on('data', (chunk) => {
      if (cut < cuts && chunk.includes('pg_try_advisory_lock')) {
        cut++;
        forget();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    open: () => sockets.size,
    cutCount: () => cut,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

async function advisoryLocksHeld(url: string): Promise<number> {
  const rows = await query(url, "select 1 from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())");
  return rows.length;
}

describe('the lock session lost while the lock is taken', () => {
  let db: TestDatabase;
  const folder = migrationsFolder({});
  beforeAll(async () => {
    db = await createTestDatabase('lock_lost');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is taken on a new connection, and released with nothing left open', async () => {
    const proxy = await cuttingProxy(new URL(db.url), 1);
    const opened = await openDatabase(targetFor(proxy.url, [folder]));
    try {
      const lock = await acquireAdvisoryLock(opened, 'upgrade');
      expect(proxy.cutCount()).toBe(1);
      expect(await advisoryLocksHeld(db.url)).toBe(1);
      await lock.release();
      expect(await advisoryLocksHeld(db.url)).toBe(0);
    } finally {
      await opened.close();
    }
    // Every connection the engine opened is closed: no session keeps the process alive.
    await expect.poll(() => proxy.open(), { timeout: 5_000 }).toBe(0);
    await proxy.close();
  });

  it('fails as CONNECTION_LOST when every attempt is cut, holding nothing', async () => {
    const proxy = await cuttingProxy(new URL(db.url), Number.POSITIVE_INFINITY);
    const opened = await openDatabase(targetFor(proxy.url, [folder]));
    try {
      const error = await acquireAdvisoryLock(opened, 'upgrade').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'CONNECTION_LOST' });
      expect((error as Error).message).toMatch(/during the upgrade \(while taking Stepstone's lock; nothing was changed\): the connection was lost/);
      expect(proxy.cutCount()).toBeGreaterThanOrEqual(2);
      // Nothing took the lock behind the failure's back (the old handler did, and kept its session).
      await new Promise((r) => setTimeout(r, 300));
      expect(await advisoryLocksHeld(db.url)).toBe(0);
    } finally {
      await opened.close();
    }
    await expect.poll(() => proxy.open(), { timeout: 5_000 }).toBe(0);
    await proxy.close();
  });
});
