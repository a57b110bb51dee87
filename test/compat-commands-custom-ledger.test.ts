// The command tour on a knex project whose ledger is a custom table in a custom schema: every command
// that reads or writes the ledger (plan, sql, drift, history, unlock, backup, verify, restore) finds it
// there, and knex reads what Stepstone wrote.
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase } from './database';
import { COMPAT_CASE_TIMEOUT_MS, cjsTable, cleanUp, cleanUpLater, expectAgreement, knexfileJs, makeProject, stepstone, userTables } from './compat-project';

afterAll(cleanUp);

describe.concurrent('the command tour on a custom schema and ledger table', { timeout: COMPAT_CASE_TIMEOUT_MS }, () => {
  it('plan, sql, drift, history, unlock, backup, backups, verify and restore on a custom schema and ledger table', async () => {
    const p = await makeProject({
      label: 'allcmds',
      files: {
        'knexfile.js': knexfileJs("{ directory: './migrations', tableName: 'app_migrations', schemaName: 'ops' }"),
        'migrations/20240101000000_users.js': cjsTable('users'),
        'migrations/20240102000000_teams.js': cjsTable('teams'),
      },
      ledger: 'ops.app_migrations',
    });
    const plan = await stepstone(p, ['plan', 'upgrade', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json.plan.steps.map((s: { name: string }) => s.name)).toEqual(['20240101000000_users.js', '20240102000000_teams.js']);
    const sql = await stepstone(p, ['sql', 'upgrade']);
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).toContain('insert into "ops"."app_migrations"');
    expect(await userTables(p)).toEqual([]); // dry runs leave nothing behind

    const up = await stepstone(p, ['upgrade', '--yes', '--json', '--to', '20240101000000_users.js']); // with its automatic backup
    expect(up.code, up.stderr).toBe(0);
    await expectAgreement(p); // knex reads ops.app_migrations as Stepstone wrote it (the schema is Stepstone's)
    const drift = await stepstone(p, ['drift', '--json']);
    expect(drift.code, drift.stderr).toBe(0);
    expect(drift.json).toMatchObject({ drifted: false, head: '20240101000000_users.js' });
    const history = await stepstone(p, ['history', '--json']);
    expect(history.json.map((h: { operation: string }) => h.operation)).toEqual(['upgrade']);
    const unlock = await stepstone(p, ['unlock', '--json']);
    expect(unlock.json).toMatchObject({ locked: false, state: 'free' });

    const backup = await stepstone(p, ['backup', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.json.head).toBe('20240101000000_users.js'); // read from ops.app_migrations
    const backups = await stepstone(p, ['backups', '--json']);
    expect(backups.json.map((b: { id: string }) => b.id)).toContain(backup.json.id);
    const verify = await stepstone(p, ['verify', backup.json.id, '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    const into = `${p.db.name}_restored`;
    cleanUpLater(() => dropDatabase(into));
    const restore = await stepstone(p, ['restore', backup.json.id, '--into', into, '--yes', '--json']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.json).toMatchObject({ database: into, head: '20240101000000_users.js' });
  });
});
