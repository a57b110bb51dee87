// The backup channels with an in-memory engine: the confirmation a restore over production needs,
// and showing a backup file where the shell has a file manager.
import { describe, expect, it } from 'vitest';
import { fakeProfile } from './fake-engine.testkit';
import { productionProfile, setupService } from './service-with-fake-engine.testkit';

describe('backups', () => {
  it('requires the database name to restore over a production database, not into a new one', async () => {
    const restored: Array<string | undefined> = [];
    const { service, state } = setupService({
      overrides: {
        restoreBackup: async (_target, _place, _id, options) => {
          restored.push(options.intoDatabase);
          return { database: options.intoDatabase ?? 'shop', head: null, durationMs: 1 };
        },
      },
    });
    state.profiles.set('prod', productionProfile);
    expect(await service.dispatch('backups:restore', { profileId: 'prod', backupId: 'b1' })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(restored).toEqual([]);
    expect(await service.dispatch('backups:restore', { profileId: 'prod', backupId: 'b1', intoDatabase: 'shop_copy' })).toMatchObject({ ok: true, value: { database: 'shop_copy' } });
    expect(await service.dispatch('backups:restore', { profileId: 'prod', backupId: 'b1', confirmation: 'shop' })).toMatchObject({ ok: true, value: { database: 'shop' } });
  });
});

describe('backups:reveal', () => {
  const backup = { id: 'b1', file: '/data/backups/b1.pgdump', createdAt: '2025-01-01T00:00:00Z', method: 'pg_dump' as const, database: 'db', serverVersion: '15', head: null, operation: 'manual', sizeBytes: 1, checksum: 'x', profileId: 'p1', tables: [], unsupported: [], durationMs: 1 };
  it('shows the backup file in the file manager on the desktop, and says so in app:info', async () => {
    const shown: string[] = [];
    const { service, state } = setupService({ overrides: { listBackups: async () => [backup] }, deps: { showInFolder: (path) => void shown.push(path) } });
    state.profiles.set('p1', fakeProfile('p1'));
    await expect(service.dispatch('app:info', {})).resolves.toMatchObject({ ok: true, value: { canShowInFolder: true } });
    await expect(service.dispatch('backups:reveal', { profileId: 'p1', backupId: 'b1' })).resolves.toEqual({ ok: true, value: { shown: true } });
    expect(shown).toEqual(['/data/backups/b1.pgdump']);
    await expect(service.dispatch('backups:reveal', { profileId: 'p1', backupId: 'nope' })).resolves.toMatchObject({ ok: false, error: { code: 'BACKUP_NOT_FOUND' } });
  });

  it('is not offered without a file manager (web mode)', async () => {
    const { service, state } = setupService({ overrides: { listBackups: async () => [backup] } });
    state.profiles.set('p1', fakeProfile('p1'));
    await expect(service.dispatch('app:info', {})).resolves.toMatchObject({ ok: true, value: { canShowInFolder: false } });
    await expect(service.dispatch('backups:reveal', { profileId: 'p1', backupId: 'b1' })).resolves.toEqual({ ok: true, value: { shown: false } });
  });
});
