// Adopting a database and generating migrations in the app: the "Adopt it…" banner on a database no
// migration built (baseline reviewed — file, schema change, verification — then written and stamped;
// the timeline shows it stamped, the database untouched); "New migration from changes…" from a
// reference database with a rename paired by hand, written and then pending with its dry-run SQL;
// and "Turn into a migration" on the drift warning.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, ledger, userTables, waitForReady } from './fixtures';
import { createTestDatabase, query } from '../test/database';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const CREATE_ALL = `create table users (id serial primary key, email text not null unique, created_at timestamptz not null default now());
create table notes (id serial primary key, user_id integer references users (id) on delete cascade, body text);
insert into users (email) values ('a@example.com');`;

test('Adopt it…: the baseline is reviewed, written and stamped; the timeline shows it stamped; the data is untouched', async ({ page, database, webMode, saveScreen }) => {
  await query(database.url, CREATE_ALL);
  const project = makeProject('adopt', []);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await expect(app.adopt.banner).toContainText('This database has 2 tables that no migration created');
    await saveScreen('adopt-banner');

    await app.adopt.openAndVerify();
    const review = app.adopt.review;
    await expect(review.file).toContainText("createTable('users', (t) => {");
    await expect(review.file).toContainText("t.foreign(['user_id'], 'notes_user_id_fkey')");
    await expect(review.schemaChange).toContainText('table public.users');
    await expect(review.schemaChange).toContainText('table public.notes');
    await expect(review.verification).toContainText('Verified on a shadow database.');
    await expect(review.direction('up')).toContainText('matches');
    await expect(review.direction('down')).toContainText('matches');
    await expect(review.direction('up again')).toContainText('matches');
    await expect(review.verification).toContainText('stepstone_shadow_');
    // Nothing written yet: the review comes first.
    expect(readdirSync(project.migrations)).toEqual([]);
    await saveScreen('adopt-review');

    await app.adopt.writeAndStamp();
    const [file] = readdirSync(project.migrations);
    expect(file).toMatch(/^\d{14}_baseline\.ts$/);
    await expect(app.adopt.done).toContainText(file);
    await app.adopt.close();

    await app.timeline.expectStates([{ name: file, state: 'applied' }]);
    await expect(app.timeline.row(file)).toContainText('stamped');
    await expect(app.adopt.banner).toHaveCount(0);
    await saveScreen('adopt-stamped');
    expect(await ledger(database.url)).toEqual([{ name: file, batch: 1 }]);
    expect(await userTables(database.url)).toEqual(['notes', 'users']);
    expect(await query(database.url, 'select email from users')).toEqual([{ email: 'a@example.com' }]);
  } finally {
    project.cleanup();
  }
});

test('New migration from changes…: a reference database, a rename paired by hand, written and pending with its dry-run SQL', async ({ page, database, webMode, saveScreen }) => {
  const USERS = '20260301000001_create_users.js';
  const project = makeProject('generate', [createTableMigration(USERS, 'users', "t.text('name');")]);
  const reference = await createTestDatabase('e2e_generate_ref');
  try {
    await query(reference.url, 'create table users (id serial primary key, full_name text, email text)');
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.generate.openFromToolbar();
    await app.generate.fromReference('rename_name_add_email', reference.url);
    await app.generate.generate();
    // Not guessed: a drop and an add, offered as a possible rename.
    await expect(app.generate.renames).toContainText('public.users.name → public.users.full_name');
    await expect(app.generate.dataLoss).toContainText('column public.users.name');
    await expect(app.generate.review.file).toContainText("t.dropColumn('name');");
    await saveScreen('generate-candidates');

    await app.generate.toggleRename(/public\.users\.name → public\.users\.full_name/);
    await expect(app.generate.renames.getByRole('checkbox', { name: /public\.users\.name → public\.users\.full_name/ })).toBeChecked();
    await expect(app.generate.review.schemaChange).toContainText('column public.users.name → public.users.full_name');
    await expect(app.generate.dataLoss).toHaveCount(0);
    await expect(app.generate.review.file).toContainText("t.renameColumn('name', 'full_name');");
    await expect(app.generate.review.file).toContainText("t.text('email');");
    await expect(app.generate.review.schemaChange).toContainText('public.users.email');
    await expect(app.generate.review.direction('up')).toContainText('matches');
    await expect(app.generate.review.direction('down')).toContainText('matches');
    expect(readdirSync(project.migrations)).toEqual([USERS]);
    await saveScreen('generate-review');

    await app.generate.write();
    const written = readdirSync(project.migrations).find((f) => f !== USERS)!;
    expect(written).toMatch(/^\d{14}_rename_name_add_email\.ts$/);
    expect(existsSync(join(project.migrations, written))).toBe(true);
    await app.generate.close();

    await app.timeline.expectStates([USERS, written].map((name) => ({ name, state: 'pending' })));
    await app.timeline.select(written);
    const detail = page.getByRole('complementary', { name: 'Migration detail' });
    await detail.getByRole('tab', { name: 'SQL', exact: true }).click();
    const sql = detail.getByLabel(`SQL of ${written}`);
    await expect(sql).toBeVisible({ timeout: 30_000 });
    await expect(sql).toContainText('rename "name" to "full_name"');
    await saveScreen('generate-pending-sql');
    expect(await ledger(database.url)).toEqual([]);
  } finally {
    project.cleanup();
    await reference.drop();
  }
});

test('Turn into a migration: drift from the status bar becomes a verified migration', async ({ page, database, webMode, saveScreen }) => {
  const NOTES = '20260301000001_create_notes.js';
  const project = makeProject('drift-generate', [createTableMigration(NOTES, 'notes', "t.text('body');")]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.upgradeAll(1);
    await app.waitIdle();
    await query(database.url, 'alter table notes add column pinned boolean not null default false');
    await page.reload();
    await waitForReady(page);
    const warning = app.statusBar.getByRole('button', { name: /^Drift: / });
    await expect(warning).toHaveText('Drift: 1 change outside migrations');
    await warning.click();
    await page.getByRole('dialog', { name: 'Schema drift' }).getByRole('button', { name: 'Turn into a migration' }).click();
    await expect(app.generate.dialog).toBeVisible();
    await expect(app.generate.dialog.getByRole('radio', { name: /changes made outside migrations/ })).toBeChecked();
    await app.generate.generate();
    await expect(app.generate.review.file).toContainText("t.boolean('pinned').notNullable().defaultTo(false);");
    await expect(app.generate.review.verification).toContainText('Verified on a shadow database.');
    await saveScreen('drift-to-migration');
    await app.generate.write();
    const written = readdirSync(project.migrations).find((f) => f !== NOTES)!;
    expect(written).toMatch(/_capture_drift\.ts$/);
    await app.generate.close();
    await app.timeline.expectStates([
      { name: NOTES, state: 'applied' },
      { name: written, state: 'pending' },
    ]);
  } finally {
    project.cleanup();
  }
});
