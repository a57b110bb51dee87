import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentMigrationNote } from './current-migration-note';

describe('currentMigrationNote', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const timing = { gapMs: 100, dwellMs: 20, now: () => Date.now() };

  /** A writer that records what it was sent; each write resolves when `release` is called (or at once). */
  function recorder(hold = false) {
    const sent: string[] = [];
    const pending: Array<() => void> = [];
    const write = (name: string) => {
      sent.push(name);
      return hold ? new Promise<void>((r) => pending.push(r)) : Promise.resolve();
    };
    return { sent, write, release: () => pending.shift()?.() };
  }

  it('notes the first step at once, then a short step only if it is still running after the dwell', async () => {
    const w = recorder();
    const note = currentMigrationNote(w.write, timing);
    note.started('a');
    expect(w.sent).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(5);
    note.ended();
    note.started('b'); // 5 ms after the last note: waits
    await vi.advanceTimersByTimeAsync(10);
    note.ended(); // b ended after 10 ms: never noted
    note.started('c');
    await vi.advanceTimersByTimeAsync(19);
    expect(w.sent).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(11); // c has run 20 ms, seen by the next tick (every 10 ms)
    expect(w.sent).toEqual(['a', 'c']);
    await note.close();
  });

  it('notes a step at once when the last note is older than the gap', async () => {
    const w = recorder();
    const note = currentMigrationNote(w.write, timing);
    note.started('a');
    await vi.advanceTimersByTimeAsync(150);
    note.ended();
    note.started('b');
    expect(w.sent).toEqual(['a', 'b']);
    await note.close();
  });

  it('sends one note at a time; those that came meanwhile collapse to the newest', async () => {
    const w = recorder(true);
    const note = currentMigrationNote(w.write, { ...timing, gapMs: 0 });
    note.started('a');
    note.started('b');
    note.started('c');
    expect(w.sent).toEqual(['a']);
    w.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(w.sent).toEqual(['a', 'c']);
    w.release();
    await note.close();
    expect(w.sent).toEqual(['a', 'c']);
  });

  it('close() waits for the note on its way and drops one still waiting for its dwell', async () => {
    const w = recorder(true);
    const note = currentMigrationNote(w.write, timing);
    note.started('a');
    note.started('b'); // waits for its dwell
    let closed = false;
    const closing = note.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(closed).toBe(false);
    w.release();
    await closing;
    expect(w.sent).toEqual(['a']);
    note.started('c');
    expect(w.sent).toEqual(['a']);
  });

  it('a failing write does not stop later notes', async () => {
    const sent: string[] = [];
    const note = currentMigrationNote(async (name) => {
      sent.push(name);
      if (name === 'a') throw new Error('connection lost');
    }, { ...timing, gapMs: 0 });
    note.started('a');
    await vi.advanceTimersByTimeAsync(0);
    note.started('b');
    await note.close();
    expect(sent).toEqual(['a', 'b']);
  });
});
