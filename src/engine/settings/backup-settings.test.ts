import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBackupSettings } from './backup-settings';

const home = () => mkdtempSync(join(tmpdir(), 'stepstone-settings-'));

describe('backup settings', () => {
  it('are empty without a settings file or variables', async () => {
    expect(await readBackupSettings(home(), {})).toEqual({});
  });

  it('come from settings.json, with the environment winning', async () => {
    const dir = home();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ backups: { folder: 'elsewhere', keep: 5, pgDump: '/opt/pg/bin/pg_dump' } }));
    expect(await readBackupSettings(dir, {})).toEqual({
      backupsDir: join(dir, 'elsewhere'),
      retention: 5,
      pgTools: { pgDumpPath: '/opt/pg/bin/pg_dump', pgDumpSource: `backups.pgDump in ${join(dir, 'settings.json')}` },
    });
    expect((await readBackupSettings(dir, { STEPSTONE_PG_DUMP: '/nonexistent/pg_dump' })).pgTools).toEqual({ pgDumpPath: '/nonexistent/pg_dump', pgDumpSource: 'STEPSTONE_PG_DUMP' });
    expect(await readBackupSettings(dir, { STEPSTONE_PG_DUMP: 'none', STEPSTONE_BACKUP_KEEP: '3', STEPSTONE_BACKUPS_DIR: '/b' })).toEqual({
      backupsDir: '/b',
      retention: 3,
      pgTools: { pathEnv: '', folders: [] },
    });
  });

  it('name a broken settings file or variable instead of ignoring it', async () => {
    const dir = home();
    writeFileSync(join(dir, 'settings.json'), '{ "backups": { "keep": "many" } }');
    await expect(readBackupSettings(dir, {})).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('settings.json') });
    await expect(readBackupSettings(home(), { STEPSTONE_BACKUP_KEEP: '0' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
