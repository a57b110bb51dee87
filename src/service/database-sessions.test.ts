// How the service holds database sessions (in-memory engine): one serialised session for an
// embedded database, a session per call for a server.
import { describe, expect, it } from 'vitest';
import { fakeProfile } from './fake-engine.testkit';
import { setupService } from './service-with-fake-engine.testkit';

describe('embedded databases', () => {
  it('keeps one session open and never runs two calls on it at once', async () => {
    let running = 0;
    let overlapped = false;
    const { service, state } = setupService({
      overrides: {
        getStatus: async () => {
          running += 1;
          if (running > 1) overlapped = true;
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
          return { applied: [], pending: [], missing: [], edited: [], outOfOrder: [], unchecked: [], lock: { locked: false, state: 'free', holders: [] }, head: null, lastBatch: 0, ledgerExists: true, serverVersion: '18', database: 'demo' };
        },
      },
    });
    const answers = await Promise.all([1, 2, 3, 4].map(() => service.dispatch('migrations:status', { profileId: 'demo' })));
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(overlapped).toBe(false);
    expect(state.opened).toBe(1);
    expect(state.closed).toBe(0);
    await service.shutdown();
    expect(state.closed).toBe(1);
  });

  it('opens and closes a server database per call', async () => {
    const { service, state } = setupService();
    state.profiles.set('pg', fakeProfile('pg'));
    await Promise.all([service.dispatch('migrations:status', { profileId: 'pg' }), service.dispatch('migrations:status', { profileId: 'pg' })]);
    expect(state.opened).toBe(2);
    expect(state.closed).toBe(2);
  });
});
