/**
 * What was ambient in the engine (the clock, who runs it, memos, where notes go), as one value
 * the shells build once and pass in: `createEngine(context)`. No engine module keeps state of
 * its own, so two engines in one process (tests, the desktop app and a CLI run) never share any.
 */
import { hostname, userInfo } from 'node:os';
import type { LoadedMigration } from './migrations/load-migration';
import { SerialWrites } from './serial-writes';
import { InterruptCleanups } from './shadow/interrupt-cleanup';

/** Who runs operations: recorded in the history, the ledger's applied_by and each connection's application_name. */
export interface Identity {
  osUser: string;
  host: string;
  pid: number;
}

/** A loaded migration and the file state it was loaded from. */
export interface LoadedFile {
  size: number;
  mtimeMs: number;
  loaded: LoadedMigration;
}

/** Memos that live as long as the engine. Each holds facts, never decisions. */
export interface EngineCaches {
  /** Loaded migration modules by path and checksum: a file is evaluated once per content. */
  migrationsByContent: Map<string, LoadedMigration>;
  /** What each path held when last loaded: an unchanged file (size, mtime) is not read again. */
  migrationsByPath: Map<string, LoadedFile>;
  /** Whether a server (host:port) answered an SSLRequest with 'S', so `sslmode=prefer` picks TLS as libpq does. */
  serverTls: Map<string, boolean>;
  /** Operations running on an embedded database (PGlite has one connection: an in-process guard is the lock). */
  embeddedLocks: Set<string>;
}

/** Where the engine reports what it does besides results (a cleanup that failed, a setting it ignored). */
export interface LogSink {
  (level: 'info' | 'warn' | 'error', message: string): void;
}

export interface EngineContext {
  /** The wall clock: history timestamps, backup ids, new migration names, script headers. */
  now(): Date;
  identity: Identity;
  caches: EngineCaches;
  log: LogSink;
  /** Environment variables the engine reads (password variables, backup settings). */
  env: NodeJS.ProcessEnv;
  /** What must be undone if the process is interrupted (temporary databases to drop). */
  interrupts: InterruptCleanups;
  /** Read-modify-writes of the engine's files (profiles.json), one at a time per file. */
  fileWrites: SerialWrites;
}

/** The OS user running this process, or the environment's idea of it when the OS cannot say. */
function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

/** This process's identity, read from the OS now. */
export function currentIdentity(env: NodeJS.ProcessEnv = process.env): Identity {
  return { osUser: osUser(env), host: hostname(), pid: process.pid };
}

/** Empty memos. */
export function createEngineCaches(): EngineCaches {
  return { migrationsByContent: new Map(), migrationsByPath: new Map(), serverTls: new Map(), embeddedLocks: new Set() };
}

/** A context for this process: the real clock, the OS identity, fresh memos, notes dropped unless a sink is given. */
export function createEngineContext(overrides: Partial<EngineContext> = {}): EngineContext {
  const env = overrides.env ?? process.env;
  return {
    now: () => new Date(),
    identity: currentIdentity(env),
    caches: createEngineCaches(),
    log: () => undefined,
    env,
    interrupts: new InterruptCleanups(),
    fileWrites: new SerialWrites(),
    ...overrides,
  };
}

/** `user@host`, as the history and the ledger record who applied something. */
export function describeIdentity(identity: Identity): string {
  return `${identity.osUser}@${identity.host}`;
}
