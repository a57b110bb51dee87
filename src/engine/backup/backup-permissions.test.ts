// A backup holds every row of the database (issue 10, defect 10): its file, its `.partial` and its
// catalogue entry are 0600, a backups folder Stepstone creates is 0700, and an existing folder that
// others can read gets a warning. Tests run as root, so they check modes, not access.
import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { statSync, watch, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { targetFor } from './backup-fixture.testkit';
import { takeBackup } from './index';

let db: TestDatabase;
let root: string;
let umask: number;

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
const octal = (mode: number) => mode.toString(8).padStart(3, '0');

beforeAll(async () => {
  db = await createTestDatabase('backup_modes');
  await query(db.url, "create table secrets (id int, value text); insert into secrets values (1, 'hunter2');");
  root = await mkdtemp(join(tmpdir(), 'stepstone-backup-modes-'));
  // With no umask at all, only Stepstone's own modes keep the files private.
  umask = process.umask(0);
});

afterAll(async () => {
  process.umask(umask);
  await db?.drop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe.each(['builtin', 'pg_dump'] as const)('backup files and folders (%s)', (method) => {
  it('creates the folder 0700 and the backup, its .partial and its entry 0600', async () => {
    const dataDir = join(root, `fresh-${method}`, 'data');
    const backupsDir = join(dataDir, 'backups');
    const partialModes: number[] = [];
    const logs: string[] = [];
    // The folder exists once the backup starts; watch it to see each file while it is being written.
    let watcher: FSWatcher | undefined;
    const backup = await takeBackup(targetFor(db.url), {
      dataDir,
      method,
      operation: 'manual',
      onLog: (message) => {
        logs.push(message);
        watcher ??= watch(backupsDir, (_event, name) => {
          if (!name || !/\.partial$|\.tmp-/.test(name)) return;
          try {
            partialModes.push(statSync(join(backupsDir, name)).mode & 0o777);
          } catch {
            // already renamed
          }
        });
      },
    });
    watcher?.close();
    expect(octal(await modeOf(backupsDir))).toBe('700');
    expect(octal(await modeOf(dataDir))).toBe('700'); // created by Stepstone on the way
    expect(octal(await modeOf(backup.file))).toBe('600');
    const entries = (await readdir(backupsDir)).filter((n) => n.endsWith('.json'));
    expect(entries).toEqual([`${backup.id}.json`]);
    expect(octal(await modeOf(join(backupsDir, entries[0])))).toBe('600');
    expect(partialModes.length).toBeGreaterThan(0);
    expect(partialModes.map(octal)).toEqual(partialModes.map(() => '600'));
    expect(logs.join('\n')).not.toMatch(/can be read by/);
  });
});

describe('an existing backups folder', () => {
  it('that others can read: a warning naming it and the fix, its mode left as the user set it', async () => {
    const backupsDir = join(root, 'shared-folder');
    await mkdir(backupsDir);
    await chmod(backupsDir, 0o755);
    const logs: string[] = [];
    const warnings: string[] = [];
    const backup = await takeBackup(targetFor(db.url), { dataDir: root, backupsDir, method: 'builtin', operation: 'manual', onLog: (m) => logs.push(m), onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(backupsDir);
    expect(warnings[0]).toMatch(/can be read by its group and every user \(mode 755\)/);
    expect(warnings[0]).toMatch(/chmod 700/);
    expect(octal(await modeOf(backupsDir))).toBe('755');
    expect(octal(await modeOf(backup.file))).toBe('600');
  });

  it('without onWarning the warning goes to the backup log', async () => {
    const backupsDir = join(root, 'group-folder');
    await mkdir(backupsDir);
    await chmod(backupsDir, 0o750);
    const logs: string[] = [];
    await takeBackup(targetFor(db.url), { dataDir: root, backupsDir, method: 'builtin', operation: 'manual', onLog: (m) => logs.push(m) });
    expect(logs.filter((l) => /can be read by its group \(mode 750\)/.test(l))).toHaveLength(1);
  });

  it('that only its owner can read: no warning', async () => {
    const backupsDir = join(root, 'private-folder');
    await mkdir(backupsDir);
    await chmod(backupsDir, 0o700);
    const warnings: string[] = [];
    await takeBackup(targetFor(db.url), { dataDir: root, backupsDir, method: 'builtin', operation: 'manual', onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
  });
});
