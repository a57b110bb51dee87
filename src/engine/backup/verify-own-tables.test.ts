// Verify right after a manual backup: Stepstone's own tables (its history gets a row for the backup
// itself) never count as differing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import { openDatabase } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { backupNow } from './recorded-backups';
import { verifyBackup } from './index';


let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase('verify_own');
  dataDir = await mkdtemp(join(tmpdir(), 'stepstone-verify-own-'));
  const session = await openDatabase(targetFor(db.url, [migrationsFolder({ '20250101000000_a.js': tableMigration('a') })]));
  try {
    await executePlan(session, await makePlan(session, { kind: 'upgrade' }));
  } finally {
    await session.close();
  }
});
afterAll(async () => {
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('verify after a manual backup', () => {
  for (const method of ['pg_dump', 'builtin'] as const) {
    it(`passes the first time (${method})`, async () => {
      const backup = await backupNow(targetFor(db.url), { dataDir, method });
      const first = await verifyBackup(targetFor(db.url), backup.id, { dataDir });
      expect(first.message).not.toMatch(/stepstone_/);
      expect(first.ok).toBe(true);
    });
  }
});

describe('verify', () => {
  it('leaves Stepstone\'s own log tables out on both sides, and still catches a difference in the user\'s tables', async () => {
    const backup = await backupNow(targetFor(db.url), { dataDir, method: 'pg_dump' });
    const entry = join(dirname(backup.file), `${backup.id}.json`);
    const recorded = JSON.parse(await readFile(entry, 'utf8')) as { tables: { table: string; hash: string }[] };
    const tamper = async (table: string) => {
      const copy = structuredClone(recorded);
      copy.tables.find((t) => t.table === table)!.hash = '0'.repeat(64);
      await writeFile(entry, JSON.stringify(copy));
    };
    // What Stepstone writes around a backup (its own log) is not compared.
    await tamper('public.stepstone_history');
    const logs: string[] = [];
    const own = await verifyBackup(targetFor(db.url), backup.id, { dataDir, onLog: (m) => logs.push(m) });
    expect(own.ok).toBe(true);
    expect(own.tables.map((t) => t.table)).not.toContain('public.stepstone_history');
    expect(logs.some((l) => l.startsWith('Compared '))).toBe(true);
    // The user's data is.
    await tamper('public.a');
    const user = await verifyBackup(targetFor(db.url), backup.id, { dataDir });
    expect(user.ok).toBe(false);
    expect(user.message).toMatch(/public\.a/);
  });
});
