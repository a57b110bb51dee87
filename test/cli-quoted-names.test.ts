// Names with a double quote and a backslash, for the ledger (--schema-name, --table-name) and the
// user's own schema and table: every SQL Stepstone builds quotes them through one function
// (src/engine/schema/sql-quoting.ts, pg's escapeIdentifier/escapeLiteral), so each command works
// end to end instead of failing with "invalid name syntax" or touching another name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, query, type TestDatabase } from './database';
import { migrationsFolder } from './targets';
import { runStepstone, type CliRun } from './run-cli';

const SCHEMA = 'o"ps\\x';
const LEDGER = 'le"d\\ger';
const TABLE = 'th"ings\\';
const home = mkdtempSync(join(tmpdir(), 'stepstone-facade-quoted-home-'));
const folder = migrationsFolder({
  '20250101000000_things.js': `exports.up = (knex) => knex.schema.createSchema(${JSON.stringify(SCHEMA)}).then(() => knex.schema.withSchema(${JSON.stringify(SCHEMA)}).createTable(${JSON.stringify(TABLE)}, (t) => { t.increments(); t.text('note').defaultTo("it's \\\\ here"); }));
exports.down = (knex) => knex.schema.dropSchema(${JSON.stringify(SCHEMA)}, true);
`,
});
let db: TestDatabase;

function stepstone(command: string[], extra: string[] = []): CliRun {
  const args = [...command, '--db', db.url, '--migrations', folder, '--schema-name', 'public', '--table-name', LEDGER, ...extra];
  return runStepstone(args, { env: { STEPSTONE_HOME: home } });
}

/** The same, with the ledger in the quoted schema (which the migration creates, so it must exist first). */
function inSchema(command: string[], extra: string[] = []): CliRun {
  const args = [...command, '--db', db.url, '--migrations', folder, '--schema-name', SCHEMA, '--table-name', LEDGER, ...extra];
  return runStepstone(args, { env: { STEPSTONE_HOME: home } });
}

beforeAll(async () => {
  db = await createTestDatabase('facade_quoted_names');
});
afterAll(async () => {
  await db?.drop();
  for (const dir of [home, folder]) rmSync(dir, { recursive: true, force: true });
});

describe('a schema, a ledger table and a user table named with a quote and a backslash', () => {
  it('plan, sql, upgrade, status, backup with verify, rollback: each works on exactly those names', async () => {
    const plan = stepstone(['plan', 'upgrade'], ['--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json.dryRun.ok, JSON.stringify(plan.json.dryRun)).toBe(true);

    const script = stepstone(['sql', 'upgrade']);
    expect(script.code, script.stderr).toBe(0);
    expect(script.stdout).toContain('"le""d\\ger"');

    const up = stepstone(['upgrade'], ['--yes', '--no-backup']);
    expect(up.code, up.stderr).toBe(0);
    expect(await query(db.url, `select name from "le""d\\ger"`)).toEqual([{ name: '20250101000000_things.js' }]);
    expect(await query(db.url, `select note from "o""ps\\x"."th""ings\\" where false`)).toEqual([]);

    const status = stepstone(['status'], ['--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.applied).toHaveLength(1);
    expect(status.json.lock.locked).toBe(false);

    const backup = stepstone(['backup'], ['--json']);
    expect(backup.code, backup.stderr).toBe(0);
    const verify = stepstone(['verify', backup.json.id ?? backup.json.backup?.id], ['--json']);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);

    const down = stepstone(['rollback'], ['--yes', '--no-backup']);
    expect(down.code, down.stderr).toBe(0);
    expect(await query(db.url, `select to_regnamespace('"o""ps\\x"') is null as gone`)).toEqual([{ gone: true }]);
  });

  it('a ledger inside the quoted schema: its tables made, status read, a stale lock released', async () => {
    await query(db.url, `create schema "o""ps\\x"`);
    try {
      // The migration creates the schema itself: here it exists already, so start after it.
      const up = inSchema(['upgrade'], ['--yes', '--no-backup', '--json']);
      expect(up.code).toBe(1); // "schema already exists": nothing recorded, the ledger itself is in place
      expect(await query(db.url, `select count(*)::int as n from "o""ps\\x"."le""d\\ger"`)).toEqual([{ n: 0 }]);
      expect(await query(db.url, `select is_locked from "o""ps\\x"."le""d\\ger_lock"`)).toEqual([{ is_locked: 0 }]);
      const status = inSchema(['status'], ['--json']);
      expect(status.code, status.stderr).toBe(0);
      expect(status.json.pending).toHaveLength(1);
      await query(db.url, `update "o""ps\\x"."le""d\\ger_lock" set is_locked = 1`);
      const unlock = inSchema(['unlock'], ['--force']);
      expect(unlock.code, unlock.stderr).toBe(0);
      expect(await query(db.url, `select is_locked from "o""ps\\x"."le""d\\ger_lock"`)).toEqual([{ is_locked: 0 }]);
    } finally {
      await query(db.url, `drop schema if exists "o""ps\\x" cascade`);
    }
  });
});
