import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { migrationsFolder, tableMigration, targetFor } from '../../../test/targets';
import { openDatabase, type Db } from '../database/open-database';
import { makePlan } from '../plan/make-plan';
import { executePlan } from '../run/execute-plan';
import { readAppliedEvidence, readRunEvidence } from './read-evidence';

let database: TestDatabase;
let db: Db;
const dir = migrationsFolder({
  '20250101000000_a.js': tableMigration('a'),
  '20250102000000_b.js': tableMigration('b', "t.string('note');"),
  '20250103000000_boom.js': `exports.up = async (knex) => { await knex.schema.createTable('half', (t) => t.increments()); await knex.raw('select * from no_such_table'); };\nexports.down = async () => {};\n`,
});

beforeAll(async () => {
  database = await createTestDatabase('run_evidence');
  db = await openDatabase(targetFor(database.url, [dir], { transactionMode: 'per-migration' }));
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('run evidence', () => {
  it('keeps each migration\'s SQL, its text as it ran and the log; the first run has no earlier schema to compare', async () => {
    const result = await executePlan(db, await makePlan(db, { kind: 'upgrade', to: '20250101000000_a' }));
    const evidence = await readRunEvidence(db, result.historyId!);
    expect(evidence?.steps).toHaveLength(1);
    const [step] = evidence!.steps;
    expect(step).toMatchObject({ name: '20250101000000_a.js', direction: 'up', outcome: 'applied', truncated: false });
    expect(step.statements.map((s) => s.sql).join('\n')).toMatch(/create table "a"/);
    expect(step.source).toContain("createTable('a'");
    expect(evidence!.log.map((l) => l.event.type)).toEqual(['started', 'finished']);
    expect(evidence!.schemaChange).toBeNull();
    expect(evidence!.schemaChangeNote).toMatch(/No schema was recorded before this run/);
  });

  it('records the run\'s schema change against the schema the previous operation left', async () => {
    const result = await executePlan(db, await makePlan(db, { kind: 'upgrade', to: '20250102000000_b' }));
    const evidence = await readRunEvidence(db, result.historyId!);
    expect(evidence!.schemaChange?.changes.map((c) => `${c.change} ${c.kind} ${c.name}`)).toEqual(['added sequence public.b_id_seq', 'added table public.b']);
    const applied = await readAppliedEvidence(db, '20250102000000_b.js');
    expect(applied?.run.historyId).toBe(result.historyId);
    expect(applied?.step.statements.some((s) => /"note" varchar/.test(s.sql))).toBe(true);
    expect(await readAppliedEvidence(db, '20250103000000_boom.js')).toBeNull();
  });

  it('keeps the statements of a failing migration, the failing one last', async () => {
    const result = await executePlan(db, await makePlan(db, { kind: 'upgrade' }));
    expect(result.outcome).toBe('failed');
    const evidence = await readRunEvidence(db, result.historyId!);
    const boom = evidence!.steps.find((s) => s.name === '20250103000000_boom.js')!;
    expect(boom.outcome).toBe('failed');
    expect(boom.statements.at(-1)?.sql).toBe('select * from no_such_table');
    // Stepstone's evidence table is not the user's schema.
    const [row] = await query<{ n: number }>(database.url, "select count(*)::int as n from stepstone_run_evidence");
    expect(row.n).toBe(3);
  });
});
