import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, query, type TestDatabase } from '../../../test/database';
import { targetFor } from './backup-fixture.testkit';
import { deleteBackup, findPgTools, listBackups, restoreBackup, takeBackup } from './index';

let db: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  db = await createTestDatabase('backup_faults');
  await query(db.url, `create table t (id serial primary key, v text); insert into t (v) select md5(g::text) from generate_series(1, 2000) g`);
  dataDir = await mkdtemp(join(tmpdir(), 'stepstone-faults-'));
});

afterAll(async () => {
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('backup faults', () => {
  it('refuses a backups folder that cannot be created', async () => {
    const file = join(dataDir, 'a-file');
    await writeFile(file, 'not a folder');
    await expect(takeBackup(targetFor(db.url), { dataDir, backupsDir: join(file, 'backups'), method: 'builtin', operation: 'upgrade' })).rejects.toMatchObject({
      code: 'BACKUP_FAILED',
      message: expect.stringContaining('cannot be created or written'),
    });
  });

  for (const method of ['builtin', 'pg_dump'] as const) {
    it(`reports a full disk (${method}) and leaves no partial file`, async () => {
      const backupsDir = join(dataDir, `full-${method}`);
      const opened: string[] = [];
      // The partial file is created where it belongs, but its bytes go to /dev/full (ENOSPC).
      const openWrite = async (path: string) => {
        opened.push(path);
        await writeFile(path, '');
        return createWriteStream('/dev/full');
      };
      await expect(takeBackup(targetFor(db.url), { dataDir, backupsDir, method, operation: 'upgrade', openWrite })).rejects.toMatchObject({
        code: 'BACKUP_FAILED',
        message: expect.stringContaining('the disk is full'),
      });
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatch(/\.partial$/);
      expect(await readdir(backupsDir)).toEqual([]);
      expect(await listBackups({ dataDir, backupsDir })).toEqual([]);
    });
  }

  it('keeps the newest N backups per database and deletes on request', async () => {
    const backupsDir = join(dataDir, 'retention');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const b = await takeBackup(targetFor(db.url), { dataDir, backupsDir, method: 'builtin', operation: 'manual', retention: 2, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
      ids.push(b.id);
    }
    const kept = await listBackups({ dataDir, backupsDir });
    expect(kept.map((b) => b.id)).toEqual([ids[3], ids[2]]);
    expect((await readdir(backupsDir)).sort()).toEqual([`${ids[2]}.json`, `${ids[2]}.stepstone`, `${ids[3]}.json`, `${ids[3]}.stepstone`].sort());

    await deleteBackup(ids[2], { dataDir, backupsDir });
    expect((await listBackups({ dataDir, backupsDir })).map((b) => b.id)).toEqual([ids[3]]);
    await expect(restoreBackup(targetFor(db.url), ids[2], { dataDir, backupsDir })).rejects.toMatchObject({ code: 'BACKUP_NOT_FOUND' });
    await expect(deleteBackup('../etc/passwd', { dataDir, backupsDir })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reports when pg_dump is older than the server or missing', async () => {
    const older = await findPgTools({ serverVersionNum: 990000 });
    expect(older).toMatchObject({ found: false, explicit: false, reason: expect.stringMatching(/pg_dump, which is pg_dump \d+, older than the server 99/) });
    const none = await findPgTools({ serverVersionNum: 150000, pathEnv: '', folders: [] });
    expect(none).toEqual({ found: false, explicit: false, reason: 'no pg_dump was found (PATH, usual install folders)' });
    const fits = await findPgTools({ serverVersionNum: 100000 });
    expect(fits).toMatchObject({ found: true, tools: { pgDump: expect.stringMatching(/pg_dump$/), pgRestore: expect.stringMatching(/pg_restore$/) } });
  });
});
