/** Running plans by run id, each with its AbortController, so `migrations:cancel` can reach them. */
import { StepstoneError } from '../engine';

export interface RunRegistry {
  /** Register a run; refuses an id already running. */
  start(runId: string): AbortController;
  finish(runId: string): void;
  /** Abort a running plan; false when no such run is going. */
  cancel(runId: string): boolean;
  /** Abort everything (the shell is quitting). */
  cancelAll(): void;
  size(): number;
}

/** An empty registry. */
export function createRunRegistry(): RunRegistry {
  const runs = new Map<string, AbortController>();
  return {
    start(runId) {
      if (runs.has(runId)) {
        throw new StepstoneError('INVALID_INPUT', `A run with id "${runId}" is already going.`, { hint: 'Use a new run id for each execution.' });
      }
      const controller = new AbortController();
      runs.set(runId, controller);
      return controller;
    },
    finish(runId) {
      runs.delete(runId);
    },
    cancel(runId) {
      const controller = runs.get(runId);
      if (!controller) return false;
      controller.abort();
      return true;
    },
    cancelAll() {
      for (const controller of runs.values()) controller.abort();
    },
    size: () => runs.size,
  };
}

/** Run `work` registered under `runId`, so `migrations:cancel` aborts its signal; unregistered when it ends. */
export async function cancellable<T>(runs: RunRegistry, runId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = runs.start(runId);
  try {
    return await work(controller.signal);
  } finally {
    runs.finish(runId);
  }
}
