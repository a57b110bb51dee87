/**
 * When a run's history row says which migration it is on (read back as where an interrupted run
 * stopped). A step is noted at once when no note went out in the last `gapMs`, otherwise once it has
 * run `dwellMs` (seen by a ticker every `dwellMs / 2`): a migration that takes time, the one a killed
 * run is most likely on, is noted within 1.5 × `dwellMs` of its start, while a thousand short ones do
 * not each cost a round trip and a commit beside the run (a note costs the CLI about as much as a
 * trivial migration's own statements). So the row names the migration running at most
 * `gapMs + 1.5 × dwellMs` before the run stopped.
 *
 * One note is on its way at a time; while it is, later ones replace each other (only the newest matters).
 */
export interface CurrentMigrationNote {
  /** A step started. */
  started(name: string): void;
  /** The step ended (finished, failed or cancelled): a note still waiting for it is dropped. */
  ended(): void;
  /** Resolves once no note is on its way; none is sent after. */
  close(): Promise<void>;
}

export interface NoteTiming {
  gapMs: number;
  dwellMs: number;
  now: () => number;
}

export const DEFAULT_NOTE_TIMING: NoteTiming = { gapMs: 100, dwellMs: 20, now: () => performance.now() };

/** `write` sends one note; its failures are the caller's to swallow (a note is a progress mark, not the record). */
export function currentMigrationNote(write: (name: string) => Promise<void>, timing: NoteTiming = DEFAULT_NOTE_TIMING): CurrentMigrationNote {
  let lastSentAt = -Infinity;
  /** The step running now, if it is not noted yet. */
  let unnoted: { name: string; since: number } | null = null;
  // One ticker for the whole run (not a timer per step: a thousand short steps made and cleared a
  // thousand); it notes the running step once it has run `dwellMs`, within half that again.
  let ticker: ReturnType<typeof setInterval> | null = null;
  let newest: string | null = null;
  let inFlight: Promise<void> | null = null;
  let closed = false;

  const send = (name: string) => {
    lastSentAt = timing.now();
    newest = name;
    if (inFlight) return;
    inFlight = (async () => {
      let sent: string | null = null;
      while (newest !== null && newest !== sent) {
        sent = newest;
        await write(sent).catch(() => undefined);
      }
      newest = null;
      inFlight = null;
    })();
  };
  const tick = () => {
    if (unnoted && timing.now() - unnoted.since >= timing.dwellMs) {
      const { name } = unnoted;
      unnoted = null;
      send(name);
    }
  };

  return {
    started(name) {
      if (closed) return;
      const now = timing.now();
      if (now - lastSentAt >= timing.gapMs) {
        unnoted = null;
        send(name);
        return;
      }
      unnoted = { name, since: now };
      if (!ticker) {
        ticker = setInterval(tick, Math.max(1, timing.dwellMs / 2));
        ticker.unref?.(); // a progress mark never keeps the process alive
      }
    },
    ended() {
      unnoted = null;
    },
    async close() {
      closed = true;
      unnoted = null;
      if (ticker) clearInterval(ticker);
      ticker = null;
      await inFlight;
    },
  };
}
