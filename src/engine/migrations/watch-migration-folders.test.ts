import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder, tableMigration } from '../../../test/targets';
import { watchMigrationFolders, type FolderWatch } from './watch-migration-folders';

let watch: FolderWatch | undefined;
afterEach(() => watch?.close());

/** The next batch of names the watcher reports. */
function nextChange(start: (onChange: (names: string[]) => void) => void): Promise<string[]> {
  return new Promise((resolve) => start(resolve));
}

describe('watchMigrationFolders', () => {
  it('reports a new, an edited and a deleted migration file, and ignores editors\' scratch files', async () => {
    const dir = migrationsFolder({ '20250101000000_a.js': tableMigration('a') });
    let report: (names: string[]) => void = () => {};
    watch = watchMigrationFolders({ directories: [dir], tableName: 'knex_migrations' }, (names) => report(names), 20);
    expect(watch.folders).toHaveLength(1);

    let change = nextChange((r) => (report = r));
    writeFileSync(join(dir, '.20250102000000_b.js.swp'), 'x');
    writeFileSync(join(dir, '20250102000000_b.js'), tableMigration('b'));
    expect(await change).toEqual(['20250102000000_b.js']);

    change = nextChange((r) => (report = r));
    writeFileSync(join(dir, '20250101000000_a.js'), tableMigration('a2'));
    expect(await change).toEqual(['20250101000000_a.js']);

    change = nextChange((r) => (report = r));
    unlinkSync(join(dir, '20250102000000_b.js'));
    expect(await change).toEqual(['20250102000000_b.js']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('watches nothing in a folder that does not exist', () => {
    watch = watchMigrationFolders({ directories: ['/nonexistent/stepstone-migrations'], tableName: 'knex_migrations' }, () => {});
    expect(watch.folders).toEqual([]);
  });
});
