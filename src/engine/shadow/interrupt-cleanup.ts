/**
 * Cleanups that must run when the process is interrupted (Ctrl-C, SIGTERM): temporary databases
 * are dropped before the process goes. Listeners are installed only while a cleanup is pending.
 */

type Cleanup = () => Promise<void>;

const pending = new Set<Cleanup>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
let installed = false;
let running: Promise<void> | null = null;

function onSignal(signal: NodeJS.Signals): void {
  uninstall();
  // Another listener (a command cancelling its run, web mode stopping its server) owns what the
  // signal means; we only clean up. Alone, we restore the default: the process ends by the signal.
  const othersListen = process.listenerCount(signal) > 0;
  running ??= runPendingCleanups();
  void running.finally(() => {
    if (!othersListen) process.kill(process.pid, signal);
  });
}

function install(): void {
  if (installed) return;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  installed = true;
}

function uninstall(): void {
  if (!installed) return;
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  installed = false;
}

/** Runs every pending cleanup once (also used by tests); never throws. */
export async function runPendingCleanups(): Promise<void> {
  const all = [...pending];
  pending.clear();
  await Promise.allSettled(all.map((cleanup) => cleanup()));
}

/**
 * Registers `cleanup` to run if the process is interrupted before the returned `done` is called.
 * `done` unregisters it (call it once the resource is gone by the normal path).
 */
export function cleanupOnInterrupt(cleanup: Cleanup): () => void {
  pending.add(cleanup);
  install();
  return () => {
    pending.delete(cleanup);
    if (pending.size === 0) uninstall();
  };
}
