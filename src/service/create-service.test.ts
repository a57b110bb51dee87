// createService itself with an in-memory engine: dispatch (validation, errors as values, which
// session a call opens) and the status it prefetches for the window's first call.
import { describe, expect, it } from 'vitest';
import { StepstoneError } from '../engine';
import { createFakeEngine, fakeProfile } from './fake-engine.testkit';
import { setupService } from './service-with-fake-engine.testkit';

describe('dispatch', () => {
  it('answers an unknown channel with INVALID_INPUT, never throwing', async () => {
    const { service } = setupService();
    await expect(service.dispatch('migrations:explode', {})).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown channel "migrations:explode".' } });
    await expect(service.dispatch('toString', {})).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('validates requests with the contract and names the bad fields in plain words', async () => {
    const { service, state } = setupService();
    const missing = await service.dispatch('migrations:status', {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!missing.ok && missing.error.message).toMatch(/^Invalid request for migrations:status: profileId: /);
    const wrongType = await service.dispatch('history:list', { profileId: 'demo', limit: 'ten' });
    expect(!wrongType.ok && wrongType.error.message).toContain('limit:');
    expect(await service.dispatch('migrations:plan', { profileId: 'demo', request: { kind: 'sideways' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(state.opened).toBe(0);
  });

  it('maps a StepstoneError once, keeping its code, hint and migration', async () => {
    const { service, errors } = setupService({
      overrides: {
        getStatus: async () => {
          throw new StepstoneError('LOCKED', 'Locked by another run.', { hint: 'Wait.', migration: '001_a.ts' });
        },
      },
    });
    expect(await service.dispatch('migrations:status', { profileId: 'demo' })).toEqual({
      ok: false,
      error: { code: 'LOCKED', message: 'Locked by another run.', hint: 'Wait.', migration: '001_a.ts' },
    });
    expect(errors).toEqual([]);
  });

  it('turns an unexpected throw into INTERNAL, logs it, and still closes the database', async () => {
    const { service, state, errors } = setupService({
      overrides: {
        getStatus: async () => {
          throw new TypeError('boom');
        },
      },
    });
    state.profiles.set('pg', fakeProfile('pg'));
    expect(await service.dispatch('migrations:status', { profileId: 'pg' })).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
    expect(errors).toHaveLength(1);
    expect(state.opened).toBe(1);
    expect(state.closed).toBe(1);
  });

  it('reads status on a read session and lists migration files from the folder without opening any database', async () => {
    const { service, state } = setupService();
    state.profiles.set('pg', fakeProfile('pg'));
    expect(await service.dispatch('migrations:files', { profileId: 'demo' })).toEqual({
      ok: true,
      value: { files: [{ name: '001_a.ts' }, { name: '002_b.ts' }, { name: '003_c.ts' }] },
    });
    expect(await service.dispatch('migrations:files', { profileId: 'pg' })).toMatchObject({ ok: true });
    expect(state.opened).toBe(0);
    expect(await service.dispatch('migrations:status', { profileId: 'pg' })).toMatchObject({ ok: true });
    expect(state).toMatchObject({ opened: 1, readOpened: 1, closed: 1 });
    expect(await service.dispatch('migrations:files', { profileId: 'ghost' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
  });

  it('reports an unknown profile as PROFILE_NOT_FOUND', async () => {
    const { service } = setupService();
    expect(await service.dispatch('migrations:status', { profileId: 'ghost' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
  });
});

describe('prefetchStatus', () => {
  function counting(initial: boolean) {
    let reads = 0;
    const ctx = setupService({
      overrides: { getStatus: async () => ({ ...(await createFakeEngine().engine.getStatus({} as never)), head: `read ${++reads}` }) },
      deps: initial ? { initialProfile: { profile: fakeProfile('cli') } } : {},
    });
    return { ...ctx, reads: () => reads };
  }
  const headOf = (result: unknown) => (result as { ok: boolean; value: { head: string } }).value.head;

  it("starts the initial server profile's status and hands it to the window's first status call for it", async () => {
    const { service, reads, state } = counting(true);
    state.profiles.set('pg', fakeProfile('pg'));
    service.prefetchStatus();
    service.prefetchStatus(); // the page's second request (after the token's redirect) starts nothing more
    await service.dispatch('app:info', {});
    await service.dispatch('migrations:files', { profileId: 'cli' });
    // Another profile's status is read as usual and leaves the prefetched one in place.
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'pg' }))).toBe('read 2');
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'cli' }))).toBe('read 1');
    // Taken once: the next call reads again.
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'cli' }))).toBe('read 3');
    expect(reads()).toBe(3);
  });

  it('names the profile it reads and hands back its answer, the same on a second start', async () => {
    const { service } = counting(true);
    expect(service.prefetchProfileId()).toBe('cli');
    const first = service.prefetchStatus();
    expect(first).not.toBeNull();
    expect(service.prefetchStatus()).toBe(first);
    expect(headOf(await first)).toBe('read 1');
    expect(counting(false).service.prefetchProfileId()).toBeNull();
    expect(counting(false).service.prefetchStatus()).toBeNull();
  });

  it('drops the prefetched status when a call may have changed something', async () => {
    const { service, reads } = counting(true);
    service.prefetchStatus();
    await service.dispatch('lock:release', { profileId: 'cli', force: false });
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'cli' }))).toBe('read 2');
    expect(reads()).toBe(2);
  });

  it('leaves the embedded demo alone: its first start would hold up the page', async () => {
    const { service, reads } = counting(false);
    service.prefetchStatus();
    await service.dispatch('app:info', {});
    expect(reads()).toBe(0);
    expect(headOf(await service.dispatch('migrations:status', { profileId: 'demo' }))).toBe('read 1');
  });
});
