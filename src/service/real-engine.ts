/** The service's engine in a real shell: the façade on this process's context (clock, OS identity, environment). */
import { createEngine, createEngineContext } from '../engine';
import type { EnginePort } from './engine-port';

/** The real engine, reading passwords and backup settings from `env`; its warnings go to the shell's console. */
export function createRealEngine(env: NodeJS.ProcessEnv = process.env): EnginePort {
  return createEngine(
    createEngineContext({
      env,
      log: (level, message) => {
        if (level !== 'info') console.warn(`Stepstone: ${message}`);
      },
    }),
  );
}
