import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPgliteInWorker } from './pglite-in-worker';

const folder = mkdtempSync(join(tmpdir(), 'stepstone-pglite-worker-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('PGlite in a worker thread', () => {
  it('answers queries with PostgreSQL values, keeps its data on disk, and reports errors with their SQLSTATE', async () => {
    const dir = join(folder, 'db');
    const db = startPgliteInWorker(dir);
    try {
      await db.waitReady;
      await db.query('create table t (id serial primary key, at timestamptz, body bytea, doc jsonb)');
      await db.query('insert into t (at, body, doc) values ($1, $2, $3)', ['2024-02-29T12:00:00.000Z', new Uint8Array([0, 255]), { a: [1, 2] }]);
      const { rows, fields, affectedRows } = await db.query<{ id: number; at: Date; body: Uint8Array; doc: unknown }>('select * from t');
      expect(rows).toEqual([{ id: 1, at: new Date('2024-02-29T12:00:00.000Z'), body: new Uint8Array([0, 255]), doc: { a: [1, 2] } }]);
      expect(fields.map((f) => f.name)).toEqual(['id', 'at', 'body', 'doc']);
      expect(affectedRows).toBe(0);
      expect((await db.query('select 1 as a, 2 as b', [], { rowMode: 'array' })).rows).toEqual([[1, 2]]);
      const failure = await db.query('select * from missing_table').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).toMatchObject({ code: '42P01', message: expect.stringContaining('missing_table') });
      // Queries queue and answer in order.
      const order = await Promise.all([db.query('select 1 as n'), db.query('select 2 as n'), db.query('select 3 as n')]);
      expect(order.map((r) => r.rows[0])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    } finally {
      await db.close();
    }
    await expect(db.query('select 1')).rejects.toThrow(/closed|stopped/);

    // The rows are on disk: a new instance on the folder sees them.
    const again = startPgliteInWorker(dir);
    try {
      expect((await again.query<{ n: number }>('select count(*)::int as n from t')).rows).toEqual([{ n: 1 }]);
    } finally {
      await again.close();
    }
  });

  it('rejects waitReady and queries when the database cannot start', async () => {
    const file = join(folder, 'not-a-folder');
    writeFileSync(file, 'x');
    const db = startPgliteInWorker(file);
    await expect(db.waitReady).rejects.toBeInstanceOf(Error);
    await db.close();
  });
});
