// The adoption channels with an in-memory engine: a generated migration is written only as it was
// previewed (the renderer sends an id, never a file or a path), once; baselines that write respect
// read-only and production profiles.
import { describe, expect, it } from 'vitest';
import type { GenerateResult, Profile } from '../shared/contract';
import { createService } from './create-service';
import { createFakeEngine, fakeProfile } from './fake-engine.testkit';

const preview: GenerateResult = {
  status: 'preview',
  file: '/tmp/migrations/20260101000000_add_phone.ts',
  name: '20260101000000_add_phone.ts',
  content: '// the reviewed file\n',
  source: 'the reference database',
  summary: { added: ['column public.users.phone'], altered: [], dropped: [], renamed: [] },
  diff: { changes: [] },
  renameCandidates: [],
  warnings: [],
  dataLoss: [],
  verification: null,
  forced: false,
};

function setup(profile: Profile = fakeProfile('dev')) {
  const written: GenerateResult[] = [];
  const baselines: { preview: boolean; force?: boolean }[] = [];
  const { engine, state } = createFakeEngine({
    previewMigration: async () => preview,
    writePreviewedMigration: async (result) => {
      written.push(result);
      return { ...result, status: 'written' };
    },
    baselineDatabase: async (_db, options) => {
      baselines.push(options as { preview: boolean; force?: boolean });
      return { status: 'preview' } as never;
    },
  });
  state.profiles.set(profile.id, profile);
  const service = createService({ dataDir: '/data', mode: 'web', version: '1', demoMigrationsDir: '/demo', emit: () => {}, engine });
  return { service, written, baselines };
}

describe('schema:generate and schema:write-migration', () => {
  it('keeps the preview and writes exactly it, once', async () => {
    const { service, written } = setup();
    const generated = await service.dispatch('schema:generate', { profileId: 'dev', name: 'add phone', source: { kind: 'url', url: 'postgres://x@y/ref' } });
    expect(generated).toMatchObject({ ok: true, value: { status: 'preview', previewId: expect.any(String) } });
    const previewId = (generated as { value: { previewId: string } }).value.previewId;
    const wrote = await service.dispatch('schema:write-migration', { profileId: 'dev', previewId });
    expect(wrote).toMatchObject({ ok: true, value: { status: 'written', file: preview.file } });
    expect(written).toEqual([preview]);
    const again = await service.dispatch('schema:write-migration', { profileId: 'dev', previewId });
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'That generated migration is no longer at hand.' } });
    expect(written).toHaveLength(1);
  });

  it('refuses an unknown preview id, and a request carrying a file instead of an id', async () => {
    const { service, written } = setup();
    expect(await service.dispatch('schema:write-migration', { profileId: 'dev', previewId: 'nope' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await service.dispatch('schema:write-migration', { profileId: 'dev', file: '/etc/passwd', content: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await service.dispatch('schema:generate', { profileId: 'dev', name: 'x', source: { kind: 'elsewhere' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(written).toEqual([]);
  });
});

describe('schema:baseline', () => {
  it('previews on any profile; writing is refused on a read-only one and needs the typed name on production', async () => {
    const readOnly = setup(fakeProfile('ro', { readOnly: true }));
    expect(await readOnly.service.dispatch('schema:baseline', { profileId: 'ro', preview: true })).toMatchObject({ ok: true });
    expect(await readOnly.service.dispatch('schema:baseline', { profileId: 'ro', preview: false })).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    expect(readOnly.baselines).toEqual([{ preview: true }]);

    const prod = setup(fakeProfile('prod', { environment: 'production', url: 'postgres://postgres@db.internal/shop' }));
    expect(await prod.service.dispatch('schema:baseline', { profileId: 'prod', preview: false })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(await prod.service.dispatch('schema:baseline', { profileId: 'prod', preview: false, confirmation: 'shop' })).toMatchObject({ ok: true });
    expect(prod.baselines).toEqual([{ preview: false }]);
  });
});
