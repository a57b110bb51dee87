import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, urlFor, type TestDatabase } from '../../../test/database';
import { dumpRows, FIXTURE_SQL, targetFor } from './backup-fixture.testkit';
import { listBackups, restoreBackup, takeBackup, verifyBackup } from './index';
import { dropDatabaseQuietly } from './scratch-database';

let db: TestDatabase;
let dataDir: string;
const created: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('backup_pgdump');
  await query(db.url, FIXTURE_SQL);
  dataDir = await mkdtemp(join(tmpdir(), 'stepstone-pgdump-'));
});

afterAll(async () => {
  for (const name of created) await dropDatabaseQuietly(targetFor(db.url), name);
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('pg_dump backup', () => {
  it('is chosen automatically when a fitting pg_dump exists, and restores in place exactly', async () => {
    const rowsBefore = await dumpRows(db.url);
    const logs: string[] = [];
    const backup = await takeBackup(targetFor(db.url), { dataDir, operation: 'upgrade', onLog: (m) => logs.push(m) });
    expect(backup.method).toBe('pg_dump');
    expect(backup.head).toBe('003_audit.ts');
    expect(logs.join('\n')).toMatch(/Using pg_dump: pg_dump \d+/);
    expect((await readFile(backup.file)).subarray(0, 5).toString()).toBe('PGDMP');
    expect(backup.tables.find((t) => t.table === 'public.things')?.rows).toBe(503);

    await query(db.url, `drop table audit.events; update things set label = 'x'; create table orders (id int); create schema extra;
      insert into knex_migrations (name, batch) values ('004_orders.ts', 3)`);
    const result = await restoreBackup(targetFor(db.url), backup.id, { dataDir });
    expect(result.head).toBe('003_audit.ts');
    expect(await dumpRows(db.url)).toEqual(rowsBefore);
    const leftovers = await query(db.url, `select to_regclass('public.orders') as orders, (select count(*)::int from pg_namespace where nspname = 'extra') as extra`);
    expect(leftovers).toEqual([{ orders: null, extra: 0 }]);
  });

  it('restores into a new database and verifies against the fingerprints taken in its snapshot', async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'pg_dump', operation: 'manual' });
    const name = `${db.name}_copy`;
    created.push(name);
    await restoreBackup(targetFor(db.url), backup.id, { dataDir, intoDatabase: name });
    expect(await dumpRows(urlFor(name))).toEqual(await dumpRows(db.url));
    const verified = await verifyBackup(targetFor(db.url), backup.id, { dataDir });
    expect(verified).toMatchObject({ ok: true });
    // Every table but Stepstone's own log (recorded in the backup, written around it, never compared).
    expect(backup.tables.map((t) => t.table)).toContain('public.stepstone_history');
    expect(verified.tables.map((t) => t.table).sort()).toEqual(['audit.events', 'public.knex_migrations', 'public.knex_migrations_lock', 'public.things']);
    expect(verified.tables.every((t) => t.ok && t.actualRows === t.expectedRows)).toBe(true);
  });

  it('leaves the database as it was when pg_restore fails halfway', async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'pg_dump', operation: 'manual' });
    await query(db.url, `create table orders (id int); insert into things (doc) values ('{"late": 1}')`);
    const rowsBefore = await dumpRows(db.url);
    // A fake pg_restore whose script fails just before loading public.things (other tables already loaded).
    const bin = await mkdtemp(join(tmpdir(), 'stepstone-fake-pg-'));
    await writeFile(join(bin, 'pg_dump'), '#!/bin/sh\nexec /usr/bin/pg_dump "$@"\n', { mode: 0o755 });
    await writeFile(join(bin, 'psql'), '#!/bin/sh\nexec /usr/bin/psql "$@"\n', { mode: 0o755 });
    await writeFile(join(bin, 'pg_restore'), '#!/bin/sh\n/usr/bin/pg_restore "$@" | sed "/^COPY public.things /i select 1/0;"\n', { mode: 0o755 });
    try {
      await expect(
        restoreBackup(targetFor(db.url), backup.id, { dataDir, pgDumpPath: join(bin, 'pg_dump'), pathEnv: '', folders: [] }),
      ).rejects.toMatchObject({ code: 'RESTORE_FAILED', message: expect.stringMatching(/ERROR: +division by zero/) });
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
    expect(await dumpRows(db.url)).toEqual(rowsBefore);
    expect(await query(db.url, `select to_regclass('public.orders')::text as t`)).toEqual([{ t: 'orders' }]);
  });

  it('falls back to the built-in method when no pg_dump is found, and says so', async () => {
    const logs: string[] = [];
    const backup = await takeBackup(targetFor(db.url), { dataDir, operation: 'upgrade', pathEnv: '', folders: [], onLog: (m) => logs.push(m) });
    expect(backup.method).toBe('builtin');
    expect(logs.join('\n')).toMatch(/Using the built-in backup: no pg_dump was found/);
    await expect(
      takeBackup(targetFor(db.url), { dataDir, method: 'pg_dump', operation: 'manual', pathEnv: '', folders: [] }),
    ).rejects.toMatchObject({ code: 'BACKUP_FAILED', message: expect.stringMatching(/no usable pg_dump: no pg_dump was found/) });
  });

  // Issue 10, defect 11: STEPSTONE_PG_DUMP=/nonexistent/pg_dump was ignored and /usr/bin/pg_dump used instead.
  it('an explicit pg_dump path that does not fit is an error, never replaced by another pg_dump or the built-in method', async () => {
    const before = (await listBackups({ dataDir })).length;
    const bin = await mkdtemp(join(tmpdir(), 'stepstone-not-pg-'));
    await writeFile(join(bin, 'pg_dump'), '#!/bin/sh\necho hello\n', { mode: 0o755 });
    await writeFile(join(bin, 'plain'), 'not a program', { mode: 0o644 });
    try {
      const cases: [string, RegExp][] = [
        ['/nonexistent/pg_dump', /STEPSTONE_PG_DUMP names \/nonexistent\/pg_dump, which does not exist/],
        [join(bin, 'plain'), /which is not executable/],
        [join(bin, 'pg_dump'), /which did not report a version/],
      ];
      for (const [path, message] of cases) {
        for (const method of ['auto', 'pg_dump'] as const) {
          // PATH still holds a good pg_dump: it must not be used instead.
          const attempt = takeBackup(targetFor(db.url), { dataDir, method, operation: 'manual', pgDumpPath: path, pgDumpSource: 'STEPSTONE_PG_DUMP' });
          await expect(attempt).rejects.toMatchObject({ code: 'BACKUP_FAILED', message: expect.stringMatching(message), hint: expect.stringMatching(/none/) });
        }
      }
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
    expect(await listBackups({ dataDir })).toHaveLength(before);
    const good = await takeBackup(targetFor(db.url), { dataDir, operation: 'manual', pgDumpPath: '/usr/bin/pg_dump', pgDumpSource: 'STEPSTONE_PG_DUMP' });
    expect(good.method).toBe('pg_dump');
  });
});
