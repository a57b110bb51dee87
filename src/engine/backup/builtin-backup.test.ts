import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, urlFor, type TestDatabase } from '../../../test/database';
import { introspectSchema } from '../schema';
import { dumpRows, FIXTURE_SQL, targetFor } from './backup-fixture.testkit';
import { openBackupFile } from './builtin-file-format';
import { listBackups, restoreBackup, takeBackup, verifyBackup } from './index';
import { dropDatabaseQuietly } from './scratch-database';
import { writeEntry } from './backup-catalogue';
import { createHash } from 'node:crypto';

/** The fixture's tables that verify compares: all but Stepstone's own log tables. */
const USER_TABLES = ['audit.events', 'public.knex_migrations', 'public.knex_migrations_lock', 'public.things'];

let db: TestDatabase;
let dataDir: string;
const created: string[] = [];

async function schemaOf(url: string) {
  const knex: Knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  try {
    return await introspectSchema(knex);
  } finally {
    await knex.destroy();
  }
}

async function mutate(url: string): Promise<void> {
  await query(
    url,
    `drop table audit.events;
     update things set label = 'changed', doc = '{"changed": true}' where id <= 3;
     delete from things where id > 400;
     insert into things (doc) values ('{"new": 1}');
     select setval('invoice_numbers', 9000);
     create table orders (id int primary key);
     insert into knex_migrations (name, batch, migration_time) values ('004_orders.ts', 3, now());
     create schema extra;
     drop view happy_things;`,
  );
}

beforeAll(async () => {
  db = await createTestDatabase('backup_builtin');
  await query(db.url, FIXTURE_SQL);
  dataDir = await mkdtemp(join(tmpdir(), 'stepstone-backup-'));
});

afterAll(async () => {
  for (const name of created) await dropDatabaseQuietly(targetFor(db.url), name);
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('built-in backup', () => {
  it('restores exactly the rows, sequences and schema of its moment into the same database', async () => {
    const rowsBefore = await dumpRows(db.url);
    const schemaBefore = await schemaOf(db.url);
    const logs: string[] = [];
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'upgrade', head: '003_audit.ts', onLog: (m) => logs.push(m) });

    expect(backup.method).toBe('builtin');
    expect(backup.head).toBe('003_audit.ts');
    expect(backup.checksum).toBe(createHash('sha256').update(await readFile(backup.file)).digest('hex'));
    expect(backup.tables.find((t) => t.table === 'public.things')?.rows).toBe(503);
    expect(backup.tables.map((t) => t.table)).toEqual(
      expect.arrayContaining(['public.knex_migrations', 'public.knex_migrations_lock', 'public.stepstone_history', 'audit.events']),
    );
    expect((await listBackups({ dataDir })).map((b) => b.id)).toContain(backup.id);
    expect(backup.unsupported).toContain('1 large object (pg_largeobject)');

    await mutate(db.url);
    expect(await dumpRows(db.url)).not.toEqual(rowsBefore);

    const result = await restoreBackup(targetFor(db.url), backup.id, { dataDir });
    expect(result.head).toBe('003_audit.ts');
    expect(await dumpRows(db.url)).toEqual(rowsBefore);
    expect(await schemaOf(db.url)).toEqual(schemaBefore);
    // Restored identity, serial and plain sequences continue where they were.
    const [next] = await query<{ id: string }>(db.url, `insert into things (doc) values ('{}') returning id`);
    expect(Number(next.id)).toBe(504);
    await query(db.url, `delete from things where id = 504; select setval(pg_get_serial_sequence('public.things', 'id'), 503)`);
  });

  it('restores into a new database, and verify finds every table intact', async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'manual', parallel: 3 });
    const name = `${db.name}_copy`;
    created.push(name);
    await restoreBackup(targetFor(db.url), backup.id, { dataDir, intoDatabase: name });
    expect(await dumpRows(urlFor(name))).toEqual(await dumpRows(db.url));
    expect(await schemaOf(urlFor(name))).toEqual(await schemaOf(db.url));

    const logs: string[] = [];
    const verified = await verifyBackup(targetFor(db.url), backup.id, { dataDir, onLog: (m) => logs.push(m) });
    expect(verified.ok).toBe(true);
    // Every table but Stepstone's own log (recorded in the backup, written around it, never compared).
    expect(backup.tables.map((t) => t.table)).toContain('public.stepstone_history');
    expect(verified.tables.map((t) => t.table).sort()).toEqual(USER_TABLES);
    expect(verified.tables.every((t) => t.ok && t.actualRows === t.expectedRows)).toBe(true);
    const scratch = /Created the database "(stepstone_verify_[0-9a-f]+)"/.exec(logs.join('\n'))?.[1];
    expect(scratch).toBeDefined();
    expect(await query(db.url, `select 1 from pg_database where datname = $1`, [scratch])).toEqual([]);

    // A table changed in the file's data but not in the catalogue is caught.
    await writeEntry(join(dataDir, 'backups'), {
      ...backup,
      tables: backup.tables.map((t) => (t.table === 'public.things' ? { ...t, hash: 'f'.repeat(64) } : t)),
    });
    const mismatch = await verifyBackup(targetFor(db.url), backup.id, { dataDir });
    expect(mismatch.ok).toBe(false);
    expect(mismatch.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(['public.things']);
    expect(mismatch.message).toMatch(/public\.things/);
    await writeEntry(join(dataDir, 'backups'), backup);
  });

  it('refuses a truncated or altered file by its checksum before touching anything', async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'manual' });
    await query(db.url, `insert into things (doc) values ('{"after": "backup"}')`);
    const rowsBefore = await dumpRows(db.url);
    const bytes = await readFile(backup.file);

    await writeFile(backup.file, bytes.subarray(0, bytes.length - 100));
    await expect(restoreBackup(targetFor(db.url), backup.id, { dataDir })).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)] ^= 0xff;
    await writeFile(backup.file, flipped);
    await expect(restoreBackup(targetFor(db.url), backup.id, { dataDir })).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    const verified = await verifyBackup(targetFor(db.url), backup.id, { dataDir });
    expect(verified.ok).toBe(false);
    expect(verified.message).toMatch(/damaged/);

    expect(await dumpRows(db.url)).toEqual(rowsBefore);
    await writeFile(backup.file, bytes);
  });

  it('never completes a restore into a new database from a damaged file, even when only the checksum can tell', async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'manual' });
    const bytes = await readFile(backup.file);
    const reader = await openBackupFile(backup.file);
    const table = reader.manifest.tables.find((t) => t.frames.length > 0)!;
    await reader.close();
    const name = `${db.name}_damaged`;
    const gone = async () => expect(await query(db.url, `select 1 from pg_database where datname = $1`, [name])).toEqual([]);
    try {
      // A frame header's kind byte: the restore reads frames by position and never looks at it, so
      // the rows load fine; the checksum, read beside the load, refuses the file before it is marked complete.
      const header = Buffer.from(bytes);
      header[table.frames[0][0] - 9] = 'X'.charCodeAt(0);
      await writeFile(backup.file, header);
      await expect(restoreBackup(targetFor(db.url), backup.id, { dataDir, intoDatabase: name })).rejects.toMatchObject({ code: 'BACKUP_CORRUPT', message: expect.stringMatching(/does not match its recorded checksum/) });
      await gone();

      // Damaged rows fail the load itself: the cause reported is still the damaged file, as when the checksum came first.
      const rows = Buffer.from(bytes);
      const [offset, length] = table.frames[0];
      for (let i = offset + Math.floor(length / 2); i < offset + length; i++) rows[i] ^= 0x5a;
      await writeFile(backup.file, rows);
      await expect(restoreBackup(targetFor(db.url), backup.id, { dataDir, intoDatabase: name })).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
      await gone();
    } finally {
      await writeFile(backup.file, bytes);
      await dropDatabaseQuietly(targetFor(db.url), name);
    }
  });

  it('leaves the database exactly as it was when a restore fails halfway', async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'manual' });
    await mutate(db.url);
    const rowsBefore = await dumpRows(db.url);
    const schemaBefore = await schemaOf(db.url);

    // Damage the last table's data but re-record the checksum: the file passes the checksum, and
    // the restore fails while loading rows, after the schemas were dropped and other tables loaded.
    const reader = await openBackupFile(backup.file);
    const last = reader.manifest.tables.filter((t) => t.frames.length > 0).at(-1)!;
    await reader.close();
    const bytes = Buffer.from(await readFile(backup.file));
    const [offset, length] = last.frames[0];
    for (let i = offset + Math.floor(length / 2); i < offset + length; i++) bytes[i] ^= 0x5a;
    await writeFile(backup.file, bytes);
    await writeEntry(join(dataDir, 'backups'), { ...backup, checksum: createHash('sha256').update(bytes).digest('hex') });

    const loaded: string[] = [];
    await expect(
      restoreBackup(targetFor(db.url), backup.id, { dataDir, beforeTable: (table) => void loaded.push(table) }),
    ).rejects.toMatchObject({ code: 'RESTORE_FAILED' });
    expect(loaded.length).toBeGreaterThan(1);
    expect(await dumpRows(db.url)).toEqual(rowsBefore);
    expect(await schemaOf(db.url)).toEqual(schemaBefore);

    // A failed restore into a new database drops it again.
    const name = `${db.name}_failed`;
    await expect(restoreBackup(targetFor(db.url), backup.id, { dataDir, intoDatabase: name })).rejects.toMatchObject({ code: 'RESTORE_FAILED' });
    expect(await query(db.url, `select 1 from pg_database where datname = $1`, [name])).toEqual([]);
  });
});
