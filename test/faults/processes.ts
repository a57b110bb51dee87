/**
 * The processes a trial runs: Stepstone's CLI (`node bin/stepstone.cjs`, the way users run it)
 * and the knex CLI, each in its own process group so that what a SIGKILLed CLI leaves running
 * (a pg_dump, a pg_restore) can be found and swept after the trial.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
  /** Seconds since boot when it exited: what started in its group after that is not its orphan. */
  endedUptime?: number;
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
      child.endedUptime = uptimeSeconds();
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

/**
 * After the trial: SIGKILL what is left of the child's process group (orphaned pg_dump/pg_restore).
 * Only members that started before the child ended: once its group is empty the kernel may give
 * the same number to a new process group (another test's server), which must never be hit.
 */
export function sweepGroup(child: Child): void {
  for (const pid of orphansOf(child.pid, child.endedUptime ?? uptimeSeconds())) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}

/**
 * Processes in process group `pgid` that started no later than `before` (seconds since boot), from
 * /proc. Start times are compared on the kernel's own clock (/proc/uptime and stat's starttime):
 * the wall clock drifts from it by a second or more here.
 */
function orphansOf(pgid: number, before: number): number[] {
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found; // no /proc: leave it rather than guess
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command's closing parenthesis: state(3) ppid(4) pgrp(5) … starttime(22).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && Number(fields[19]) / CLOCK_TICKS <= before) found.push(Number(entry));
  }
  return found;
}

/** Seconds since boot, the clock of /proc/<pid>/stat's start times (0 without /proc: nothing is swept). */
function uptimeSeconds(): number {
  try {
    return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  } catch {
    return 0;
  }
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's start time (100 on every mainstream build). */
const CLOCK_TICKS = 100;

/** Resolves when `child` has printed anything (or exited), or after `maxMs`. */
export async function firstOutput(child: Child, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  while (child.firstOutputAt === null && !child.done && Date.now() < until) await sleep(10);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
