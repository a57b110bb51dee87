import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { createEngineContext } from '../engine-context';
import { FIXTURE_SQL, targetFor } from './backup-fixture.testkit';
import { closeQuietly, openCopySession } from './copy-session';
import { takeBackup } from './index';
import { fingerprintTable, listCopyTables } from './table-fingerprint';

let db: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  db = await createTestDatabase('backup_copy_forms');
  await query(
    db.url,
    `${FIXTURE_SQL}
     create table parent (id int, note text);
     create table child (extra text) inherits (parent);
     insert into parent select g, 'p' || g from generate_series(1, 30) g;
     insert into child select g, 'c' || g, 'x' from generate_series(100, 140) g;
     create table measures (at date not null, v int) partition by range (at);
     create table measures_2025 partition of measures for values from ('2025-01-01') to ('2026-01-01');
     insert into measures select date '2025-01-01' + g, g from generate_series(0, 99) g;`,
  );
  dataDir = await mkdtemp(join(tmpdir(), 'stepstone-copy-forms-'));
});

afterAll(async () => {
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('built-in backup COPY forms', () => {
  // Plain tables are read by `COPY table (columns)`, others by `COPY (SELECT … FROM ONLY …)`, as
  // verify reads every table: the recorded rows and hashes must be what verify computes.
  it("records each table's rows and hash as verify's COPY (SELECT … FROM ONLY …) reads them", async () => {
    const backup = await takeBackup(targetFor(db.url), { dataDir, method: 'builtin', operation: 'manual' });
    const client = await openCopySession(targetFor(db.url), createEngineContext(), 'verify');
    try {
      const expected = [];
      for (const t of await listCopyTables(client)) {
        if (backup.tables.some((b) => b.table === `${t.schema}.${t.name}`)) expected.push(await fingerprintTable(client, t));
      }
      expect(backup.tables.map((t) => t.table)).toEqual(expect.arrayContaining(['public.parent', 'public.child', 'public.things', 'audit.events']));
      expect(backup.tables.find((t) => t.table === 'public.parent')?.rows).toBe(30);
      expect(backup.tables.find((t) => t.table === 'public.child')?.rows).toBe(41);
      expect([...backup.tables].sort((a, b) => a.table.localeCompare(b.table))).toEqual(expected.sort((a, b) => a.table.localeCompare(b.table)));
    } finally {
      await closeQuietly(client);
    }
  });
});
