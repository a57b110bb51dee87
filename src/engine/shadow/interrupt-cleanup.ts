/**
 * Cleanups that must run when the process is interrupted (Ctrl-C, SIGTERM): temporary databases
 * are dropped before the process goes. Each engine context owns one registry; its signal
 * listeners are installed only while one of its cleanups is pending.
 */

type Cleanup = () => Promise<void>;

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The cleanups pending in one engine context, run once if the process is interrupted. */
export class InterruptCleanups {
  private readonly pending = new Set<Cleanup>();
  private installed = false;
  private running: Promise<void> | null = null;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.uninstall();
    // Another listener (a command cancelling its run, web mode stopping its server) owns what the
    // signal means; we only clean up. Alone, we restore the default: the process ends by the signal.
    const othersListen = process.listenerCount(signal) > 0;
    this.running ??= this.runPending();
    void this.running.finally(() => {
      if (!othersListen) process.kill(process.pid, signal);
    });
  };

  /** Runs every pending cleanup once (also used by tests); never throws. */
  async runPending(): Promise<void> {
    const all = [...this.pending];
    this.pending.clear();
    await Promise.allSettled(all.map((cleanup) => cleanup()));
  }

  /**
   * Registers `cleanup` to run if the process is interrupted before the returned `done` is called.
   * `done` unregisters it (call it once the resource is gone by the normal path).
   */
  add(cleanup: Cleanup): () => void {
    this.pending.add(cleanup);
    this.install();
    return () => {
      this.pending.delete(cleanup);
      if (this.pending.size === 0) this.uninstall();
    };
  }

  private install(): void {
    if (this.installed) return;
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    this.installed = true;
  }

  private uninstall(): void {
    if (!this.installed) return;
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    this.installed = false;
  }
}
