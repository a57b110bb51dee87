/**
 * The processes a trial runs: Stepstone's CLI (`node bin/stepstone.cjs`, the way users run it)
 * and the knex CLI, each in its own process group so that what a SIGKILLed CLI leaves running
 * (a pg_dump, a pg_restore) can be found and swept after the trial.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const STEPSTONE_BIN = join(ROOT, 'bin', 'stepstone.cjs');
export const KNEX_BIN = join(ROOT, 'node_modules', 'knex', 'bin', 'cli.js');

export interface Child {
  label: string;
  kind: 'stepstone' | 'knex';
  pid: number;
  stdout: string;
  stderr: string;
  /** Set when the trial killed it. */
  killed: boolean;
  /** Set when it did not exit by itself within the timeout (then killed). */
  hung: boolean;
  /** ms after spawn of the first byte on stderr or stdout, or null. */
  firstOutputAt: number | null;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  done: boolean;
  /** Date.now() at spawn; ms after it of the kill; what the trial did to it. */
  startedAt: number;
  killedAt: number | null;
  /** ms after spawn of its exit. */
  endedAt: number | null;
  note: string | null;
  /** Exit code once done (null: killed by a signal). */
  code: number | null;
}

export function spawnChild(kind: Child['kind'], label: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs: number): Child {
  const bin = kind === 'stepstone' ? STEPSTONE_BIN : KNEX_BIN;
  const proc = spawn(process.execPath, [bin, ...args], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
  });
  const t0 = Date.now();
  const child: Child = {
    label,
    kind,
    pid: proc.pid ?? -1,
    stdout: '',
    stderr: '',
    killed: false,
    hung: false,
    firstOutputAt: null,
    done: false,
    startedAt: t0,
    killedAt: null,
    endedAt: null,
    note: null,
    code: null,
    exit: null as never,
  };
  const seen = () => (child.firstOutputAt ??= Date.now() - t0);
  proc.stdout!.on('data', (d) => ((child.stdout += d), seen()));
  proc.stderr!.on('data', (d) => ((child.stderr += d), seen()));
  const timer = setTimeout(() => {
    child.hung = true;
    kill(child);
  }, timeoutMs);
  child.exit = new Promise((done) => {
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      child.done = true;
      child.endedAt = Date.now() - t0;
      child.code = code;
      done({ code, signal });
    });
    proc.on('error', () => {
      clearTimeout(timer);
      child.done = true;
      done({ code: null, signal: null });
    });
  });
  return child;
}

/** SIGKILL the process itself (not its group: what it spawned is left as a crash would leave it). */
export function kill(child: Child): void {
  if (child.done) return;
  child.killedAt ??= Date.now() - child.startedAt;
  try {
    process.kill(child.pid, 'SIGKILL');
  } catch {}
}

/** After the trial: SIGKILL whatever is left of the child's process group (orphaned children). */
export function sweepGroup(child: Child): void {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
}

/** Resolves when `child` has printed anything (or exited), or after `maxMs`. */
export async function firstOutput(child: Child, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  while (child.firstOutputAt === null && !child.done && Date.now() < until) await sleep(10);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
