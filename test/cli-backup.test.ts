// Backups through the CLI: taken before every upgrade and rollback, restorable, verified, refused when corrupt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, query, type TestDatabase } from './database';
import { migrationsFolder, tableMigration } from './targets';
import { runStepstone } from './run-cli';


function stepstone(args: string[], env: Record<string, string> = {}) {
  return runStepstone(args, { env });
}

const dir = migrationsFolder({
  '20250101000000_people.js': `exports.up = async (knex) => { await knex.schema.createTable('people', (t) => { t.increments(); t.text('name'); t.jsonb('meta'); }); };
exports.down = (knex) => knex.schema.dropTable('people');`,
  '20250102000000_pets.js': tableMigration('pets', "t.integer('owner').references('people.id');"),
});

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_backup');
});
afterAll(async () => {
  await db?.drop();
});

describe('backups before migrating', () => {
  const home = mkdtempSync(join(tmpdir(), 'stepstone-backup-home-'));
  const base = () => ['--db', db.url, '--migrations', dir, '--home', home];

  it('an upgrade takes a backup first (pg_dump present), and a restore brings back that moment exactly', async () => {
    const first = stepstone(['upgrade', ...base(), '--to', '20250101000000_people', '--yes', '--json']);
    expect(first.code, first.stderr).toBe(0);
    await query(db.url, `insert into people (name, meta) values ('ada', '{"a": [1, 2]}'), ('bob', null)`);
    const second = stepstone(['upgrade', ...base(), '--yes', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json.backupId).toEqual(expect.any(String));
    const list = stepstone(['backups', ...base(), '--json']);
    expect(list.json[0]).toMatchObject({ id: second.json.backupId, method: 'pg_dump', head: '20250101000000_people.js', sizeBytes: expect.any(Number), createdAt: expect.any(String), file: expect.any(String) });
    expect(existsSync(list.json[0].file)).toBe(true);

    await query(db.url, "update people set name = 'changed'; insert into pets (owner) values (1)");
    const restored = stepstone(['restore', second.json.backupId, ...base(), '--yes', '--json']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.json.head).toBe('20250101000000_people.js');
    expect(await query(db.url, 'select name, meta from people order by id')).toEqual([
      { name: 'ada', meta: { a: [1, 2] } },
      { name: 'bob', meta: null },
    ]);
    expect(await query(db.url, "select to_regclass('public.pets') as t")).toEqual([{ t: null }]);
    const status = stepstone(['status', ...base(), '--json']);
    expect(status.json.applied.map((a: any) => a.name)).toEqual(['20250101000000_people.js']);
    const history = stepstone(['history', ...base(), '--json']);
    expect(history.json[0]).toMatchObject({ operation: 'restore', outcome: 'succeeded' });
    // The upgrade that was undone stays in the audit log.
    expect(history.json.map((h: any) => h.operation)).toContain('upgrade');
  });

  it('with pg_dump hidden, falls back to the built-in backup and says so; verify passes', () => {
    const run = stepstone(['upgrade', ...base(), '--yes'], { STEPSTONE_PG_DUMP: 'none' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/built-in/i);
    const list = stepstone(['backups', ...base(), '--json']);
    expect(list.json[0].method).toBe('builtin');
    const verify = stepstone(['verify', list.json[0].id, ...base(), '--json']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.json.ok).toBe(true);
  });

  it('refuses a corrupt backup before touching anything', async () => {
    const list = stepstone(['backups', ...base(), '--json']);
    const victim = list.json[0];
    const bytes = readFileSync(victim.file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(victim.file, bytes);
    const before = await query(db.url, 'select name from knex_migrations order by id');
    const run = stepstone(['restore', victim.id, ...base(), '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/checksum|corrupt|damaged/i);
    expect(await query(db.url, 'select name from knex_migrations order by id')).toEqual(before);
  });

  it('a backups folder that cannot be written: the migration does not start and no partial file is left', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stepstone-notdir-')), 'a-file');
    writeFileSync(file, 'x');
    const rolled = stepstone(['rollback', '--db', db.url, '--migrations', dir, '--yes', '--home', join(file, 'home')]);
    expect(rolled.code).toBe(1);
    expect(rolled.stderr).toMatch(/backup/i);
    const status = stepstone(['status', ...base(), '--json']);
    expect(status.json.applied).toHaveLength(2);
  });

  it('a backups folder and retention from the command line', () => {
    const folder = mkdtempSync(join(tmpdir(), 'stepstone-backups-dir-'));
    for (let i = 0; i < 3; i++) {
      const run = stepstone(['backup', ...base(), '--backups-dir', folder, '--keep', '2', '--method', 'builtin', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json.file.startsWith(folder)).toBe(true);
    }
    const files = readdirSync(folder).filter((f) => f.endsWith('.stepstone'));
    expect(files).toHaveLength(2);
    const listed = stepstone(['backups', ...base(), '--backups-dir', folder, '--json']);
    expect(listed.json).toHaveLength(2);
    expect(stepstone(['history', ...base(), '--json', '--operation', 'backup']).json.length).toBeGreaterThanOrEqual(3);
  });

  it('a backups folder others can read: the backup is still private, with a warning on stderr (also with --json)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'stepstone-backups-open-'));
    chmodSync(folder, 0o755);
    const backup = stepstone(['backup', ...base(), '--backups-dir', folder, '--method', 'builtin', '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toContain(`The backups folder ${folder} can be read by its group and every user (mode 755)`);
    expect(statSync(backup.json.file).mode & 0o777).toBe(0o600);
    const upgrade = stepstone(['rollback', ...base(), '--backups-dir', folder, '--yes', '--json']);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stderr).toMatch(/can be read by its group and every user/);
    expect(stepstone(['upgrade', ...base(), '--yes', '--no-backup']).code).toBe(0);
    // A folder Stepstone creates is private from the start: no warning.
    const created = join(folder, 'made-by-stepstone');
    const quiet = stepstone(['backup', ...base(), '--backups-dir', created, '--method', 'builtin', '--json']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(/can be read by/);
    expect(statSync(created).mode & 0o777).toBe(0o700);
  });

  it('STEPSTONE_PG_DUMP naming a pg_dump that does not exist is an error, not replaced by another one', async () => {
    const before = stepstone(['backups', ...base(), '--json']).json.length;
    const ledger = await query(db.url, 'select name from knex_migrations order by id');
    const backup = stepstone(['backup', ...base(), '--json'], { STEPSTONE_PG_DUMP: '/nonexistent/pg_dump' });
    expect(backup.code).toBe(1);
    expect(backup.stderr).toMatch(/STEPSTONE_PG_DUMP names \/nonexistent\/pg_dump, which does not exist/);
    const rollback = stepstone(['rollback', ...base(), '--yes'], { STEPSTONE_PG_DUMP: '/nonexistent/pg_dump' });
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toMatch(/nothing was migrated.*\/nonexistent\/pg_dump/);
    expect(stepstone(['backups', ...base(), '--json']).json).toHaveLength(before);
    expect(await query(db.url, 'select name from knex_migrations order by id')).toEqual(ledger);
    // "none" still means the built-in backup.
    const builtin = stepstone(['backup', ...base(), '--json'], { STEPSTONE_PG_DUMP: 'none' });
    expect(builtin.code, builtin.stderr).toBe(0);
    expect(builtin.json.method).toBe('builtin');
  });

  it('--no-backup is refused on production', () => {
    const run = stepstone(['rollback', ...base(), '--yes', '--no-backup', '--production']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/production/);
    expect(readdirSync(join(home, 'backups')).length).toBeGreaterThan(0);
  });
});

describe('the head a backup records', () => {
  it('is the status head, also after a merged branch applied an older migration last', async () => {
    const own = await createTestDatabase('cli_backup_head');
    const home = mkdtempSync(join(tmpdir(), 'stepstone-backup-head-'));
    const folder = migrationsFolder({ '20250102000000_newer.js': tableMigration('newer') });
    const args = ['--db', own.url, '--migrations', folder, '--home', home];
    try {
      expect(stepstone(['upgrade', ...args, '--yes', '--no-backup']).code).toBe(0);
      writeFileSync(join(folder, '20250101000000_merged.js'), tableMigration('merged'));
      expect(stepstone(['upgrade', ...args, '--yes', '--no-backup']).code).toBe(0);
      const status = stepstone(['status', ...args, '--json']);
      expect(status.json.head).toBe('20250102000000_newer.js');
      const backup = stepstone(['backup', ...args, '--method', 'builtin', '--json']);
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.json.head).toBe(status.json.head);
    } finally {
      await own.drop();
    }
  });
});
