/** The engine as a CLI run uses it: the façade on this process's context (clock, OS identity, environment). */
import { type Engine, createEngine, createEngineContext } from '../engine';

/** A fresh engine for one command; its warnings go to stderr so stdout stays parseable. */
export function cliEngine(): Engine {
  return createEngine(
    createEngineContext({
      log: (level, message) => {
        if (level !== 'info') process.stderr.write(`stepstone: ${message}\n`);
      },
    }),
  );
}
