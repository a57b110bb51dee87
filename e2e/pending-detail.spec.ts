// The detail of a pending migration: Source shows its file, SQL shows the statements a dry run
// captured, Schema change shows the table and columns it adds; the preview leaves the database
// untouched (no ledger rows, no user tables).
import { test, expect, openApp, ledger, userTables } from './fixtures';
import { AppPage } from './pages/app-page';
import { createTableMigration, makeProject } from './temp-project';

const FIRST = '20250101000001_create_authors.js';
const SECOND = '20250101000002_create_books.js';

test('pending migration detail: source, SQL from the dry run, schema change; the database untouched', async ({ page, database, webMode, saveScreen }) => {
  const project = makeProject('pending-detail', [
    createTableMigration(FIRST, 'authors', "t.string('name').notNullable();"),
    createTableMigration(SECOND, 'books', "t.string('title', 200).notNullable(); t.integer('author_id').references('authors.id');"),
  ]);
  try {
    const server = await webMode(['--db', database.url, '--migrations', project.migrations]);
    await openApp(page, server);
    const app = new AppPage(page);
    await app.timeline.expectStates([FIRST, SECOND].map((name) => ({ name, state: 'pending' })));

    // The second one: its preview is a dry run of both, showing only its own part.
    await app.timeline.select(SECOND);
    const detail = page.getByRole('complementary', { name: 'Migration detail' });
    const tab = (name: string) => detail.getByRole('tab', { name, exact: true });
    await expect(tab('Source')).toHaveAttribute('aria-selected', 'true');
    const source = detail.getByLabel(`Source of ${SECOND}`);
    await expect(source).toContainText("createTable('books'");
    await expect(detail).toContainText(project.migrations);
    await saveScreen('detail-source');

    await tab('SQL').click();
    const sql = detail.getByLabel(`SQL of ${SECOND}`);
    await expect(sql).toBeVisible({ timeout: 20_000 });
    await expect(sql).toContainText('create table "books"');
    await expect(sql).toContainText('"title" varchar(200) not null');
    await expect(sql).toContainText('foreign key ("author_id") references "authors" ("id")');
    // Only this migration's statements: the first one's table is not created here.
    await expect(sql).not.toContainText('create table "authors"');
    await saveScreen('detail-sql');

    await tab('Schema change').click();
    const added = detail.getByRole('region', { name: /^Added: \d+$/ });
    await expect(added).toBeVisible();
    await expect(added.getByText('public.books', { exact: true })).toBeVisible();
    // The new table's columns and constraints, each with its type.
    const columns = added.getByRole('list', { name: 'public.books columns and constraints' });
    await expect(columns.getByRole('listitem')).toContainText([
      /^id integer not null default nextval/,
      'title character varying(200) not null',
      'author_id integer',
      'PRIMARY KEY (id)',
      'FOREIGN KEY (author_id) REFERENCES public.authors(id)',
    ]);
    // Only this migration's change: the first one's table is not in it.
    await expect(detail.getByText('public.authors', { exact: true })).toHaveCount(0);
    await saveScreen('detail-schema-change');

    // The dry run rolled back: nothing applied, no tables left behind, the lock free.
    expect(await ledger(database.url)).toEqual([]);
    expect(await userTables(database.url)).toEqual([]);
    await app.timeline.expectStates([FIRST, SECOND].map((name) => ({ name, state: 'pending' })));
    await expect(app.statusBar).toContainText('Unlocked');
  } finally {
    project.cleanup();
  }
});
