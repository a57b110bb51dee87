// The Environments view with a knexfile's staging and production: what one has applied and the
// other lacks, a file edited between their runs, the schema difference, an unreachable third
// environment explained; the promotion guard's warning in production's plan. Both are only read.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test, expect, openApp, waitForReady, ledger, ROOT } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';
import { createTestDatabase } from '../test/database';

const USERS = '20260301000001_create_users.js';
const TEAMS = '20260301000002_create_teams.js';
const BADGES = '20260301000003_create_badges.js';
const NOTES = '20260301000004_create_notes.js';

test('Environments: staging and production side by side, an edited file, the schema difference, an unreachable one; production\'s plan warns about what staging lacks', async ({ page, database: production, home, webMode, saveScreen }) => {
  test.slow();
  const staging = await createTestDatabase('e2e_env_staging');
  const project = makeProject('environments', [
    createTableMigration(USERS, 'users', "t.string('email');"),
    createTableMigration(TEAMS, 'teams', "t.string('name');"),
    createTableMigration(BADGES, 'badges'),
    createTableMigration(NOTES, 'notes'),
  ]);
  const knexfile = join(project.dir, 'knexfile.js');
  const env = (url: string) => `{ client: 'pg', connection: ${JSON.stringify(url)}, migrations: { directory: ${JSON.stringify(project.migrations)} } }`;
  writeFileSync(knexfile, `module.exports = {\n  staging: ${env(staging.url)},\n  production: ${env(production.url)},\n  qa: ${env('postgres://postgres@127.0.0.1:1/nowhere')},\n};\n`);
  const cli = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'bin', 'stepstone.cjs'), ...args, '--knexfile', knexfile, '--home', home, '--yes'], { stdio: 'pipe' });
  try {
    // Production applied the first file as it was; it was edited before staging applied it and the next two.
    cli('upgrade', '--env', 'production', '--to', USERS);
    const users = join(project.migrations, USERS);
    writeFileSync(users, `${readFileSync(users, 'utf8')}// edited after production ran it\n`);
    cli('upgrade', '--env', 'staging', '--to', BADGES, '--no-backup');
    // The app names each environment's connection after the project folder.
    const name = (env: string) => `${basename(project.dir)} · ${env}`;

    // The project opened in the app (Open project…): each environment a connection; production is opened.
    // (Started on the production URL rather than the demo, whose embedded database is slow to start.)
    const server = await webMode(['--db', production.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    const connections = page.getByRole('navigation', { name: 'Connections' });
    await connections.getByRole('button', { name: 'Open project…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Open project' });
    await dialog.getByLabel('Project folder').fill(project.dir);
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(dialog).toBeHidden();
    await connections.getByRole('button', { name: new RegExp(`^${name('production')}`) }).click();
    await waitForReady(page);
    await app.showView('Environments');
    const view = app.environments;
    await expect(view.picker('Left')).toHaveValue(/:staging$/);
    await expect(view.picker('Right')).toHaveValue(/:production$/);
    await view.compare();
    await expect(view.side(name('staging'))).toContainText('3 applied', { timeout: 60_000 });
    await expect(view.side(name('staging'))).toContainText(`head ${BADGES}`);
    await expect(view.side(name('production'))).toContainText('1 applied');
    await expect(view.row(USERS)).toContainText('different file');
    await expect(view.row(TEAMS).getByRole('cell')).toHaveText([TEAMS, '✓ applied', '— missing']);
    await expect(view.row(BADGES).getByRole('cell')).toHaveText([BADGES, '✓ applied', '— missing']);
    await expect(view.row(NOTES)).toHaveCount(0);
    await expect(view.view).toContainText(/Schema difference \(\d+\)/);
    await expect(view.view).toContainText('public.teams');
    await expect(view.view).toContainText('public.badges');
    await saveScreen('environments-staging-production');

    // A third environment that cannot be reached is explained; the other side is still shown.
    await view.picker('Right').selectOption({ label: `${name('qa')} (development)` });
    await view.compare();
    await expect(view.side(name('qa'))).toContainText('Unreachable', { timeout: 60_000 });
    await expect(view.side(name('staging'))).toContainText('3 applied');
    await expect(view.view).toContainText('Not compared: one side could not be read.');
    await saveScreen('environments-unreachable');

    // The promotion guard: production's upgrade includes a file staging has not applied.
    await app.showView('Timeline');
    await app.button('Upgrade').click();
    await app.plan.waitForDryRun();
    await expect(app.plan.warnings).toContainText('Not yet on staging');
    await expect(app.plan.warnings).toContainText(NOTES);
    await expect(app.plan.warnings).not.toContainText(TEAMS); // staging applied it from the same file
    await saveScreen('plan-promotion-guard');
    await app.plan.dialog.getByRole('button', { name: 'Cancel' }).click();

    // Comparing and planning only read both databases.
    expect((await ledger(production.url)).map((r) => r.name)).toEqual([USERS]);
    expect((await ledger(staging.url)).map((r) => r.name)).toEqual([USERS, TEAMS, BADGES]);
  } finally {
    project.cleanup();
    await staging.drop();
  }
});
