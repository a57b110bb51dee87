// check on real PostgreSQL: one line per problem for an edited applied file, a missing one and a
// pending file older than the head; nothing at all when the folder and the database agree.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import { openDatabase, type Db } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { checkProject } from './check-project';

let database: TestDatabase;
let db: Db;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase('check_project');
  folder = migrationsFolder({
    '20240101000000_a.js': tableMigration('a'),
    '20240102000000_b.js': tableMigration('b'),
    '20240104000000_d.js': tableMigration('d'),
  });
  db = await openDatabase(targetFor(database.url, [folder]));
  expect((await executePlan(db, await makePlan(db, { kind: 'upgrade' }))).outcome).toBe('succeeded');
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('checkProject', () => {
  it('passes when the folder and the database agree', async () => {
    expect(await checkProject({ db, settings: db.settings })).toEqual({ ok: true, problems: [], checked: ['ledger', 'drift'] });
  });

  it('names an edited applied file, a missing one and an out-of-order pending one, one line each', async () => {
    writeFileSync(join(folder, '20240101000000_a.js'), `${tableMigration('a')}// edited after it ran\n`);
    rmSync(join(folder, '20240102000000_b.js'));
    writeFileSync(join(folder, '20240103000000_c.js'), tableMigration('c'));
    const result = await checkProject({ db, settings: db.settings });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { kind: 'edited', migration: '20240101000000_a.js', message: '20240101000000_a.js was edited after it was applied (its checksum differs).' },
      { kind: 'missing', migration: '20240102000000_b.js', message: '20240102000000_b.js is applied but its file is missing from the migrations folder.' },
      {
        kind: 'out-of-order',
        migration: '20240103000000_c.js',
        message: '20240103000000_c.js is pending but older than the head 20240104000000_d.js (it would run out of order).',
      },
    ]);
  });
});
