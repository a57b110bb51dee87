// The service under test, built on the in-memory engine (fake-engine.testkit.ts): what every
// src/service/*-handlers test starts from, with the events it emitted and the errors it logged.
import type { AppEvent, Profile } from '../shared/contract';
import { createService } from './create-service';
import { createFakeEngine, fakeProfile } from './fake-engine.testkit';
import type { EnginePort } from './engine-port';
import type { ServiceDeps } from './service-deps';

export function setupService(options: { overrides?: Partial<EnginePort>; deps?: Partial<ServiceDeps> } = {}) {
  const { engine, state } = createFakeEngine(options.overrides);
  const events: AppEvent[] = [];
  const errors: unknown[] = [];
  const service = createService({
    dataDir: '/data',
    mode: 'desktop',
    version: '1.2.3',
    demoMigrationsDir: '/demo/migrations',
    emit: (event) => events.push(event),
    engine,
    logError: (_message, error) => errors.push(error),
    ...options.deps,
  });
  return { service, state, events, errors };
}

/** A production profile: changes to it need the database name typed. */
export const productionProfile: Profile = fakeProfile('prod', { environment: 'production', url: 'postgres://postgres@db.internal/shop', backupBeforeMigrate: true });
