/**
 * Backups through pg_dump's custom format and restores through pg_restore. Passwords travel in
 * PGPASSWORD (never argv); pg_dump reads the snapshot this module exports, so the table
 * fingerprints recorded for verify describe exactly what pg_dump wrote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TableFingerprint } from '../../shared/backup';
import { applicationName, connectionFields, type ConnectionTarget } from '../connection/connection-target';
import { libpqSslMode, writeLibpqTlsFiles } from '../connection/libpq-tls';
import { isSocketHost } from '../connection/postgres-url';
import type { EngineContext } from '../engine-context';
import { StepstoneError } from '../errors';
import { closeQuietly, openCopySession } from './copy-session';
import type { PgTools } from './find-pg-dump';
import { planSchemaReplacement } from './replace-user-schemas';
import { fingerprintDatabase } from './table-fingerprint';

/** How to run a libpq tool on a target: its arguments, its environment, and what to remove once it has run. */
export interface LibpqInvocation {
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Removes the TLS files written for it (call it in a `finally`; an interrupt removes them too). */
  dispose(): Promise<void>;
}

/**
 * libpq arguments (no password) and environment for a target, optionally another database on the same server.
 * A knexfile's TLS material goes to private temporary files named in PGSSLROOTCERT / PGSSLCERT / PGSSLKEY, beside
 * PGSSLMODE (verify-full for an `ssl` object unless it sets `rejectUnauthorized: false`); any of those variables
 * the environment had is dropped, so the tool uses exactly the target's. `tempRoot`: where the files' folder goes.
 */
export async function libpqInvocation(target: ConnectionTarget, context: EngineContext, operation: string, database?: string, tempRoot?: string): Promise<LibpqInvocation> {
  const f = connectionFields(target);
  const mode = libpqSslMode(f.sslMode);
  const env: NodeJS.ProcessEnv = { ...context.env, PGAPPNAME: applicationName(operation, context.identity), PGSSLMODE: mode, PGCONNECT_TIMEOUT: '10' };
  delete env.PGPASSWORD;
  if (f.password !== undefined) env.PGPASSWORD = f.password;
  // A Unix socket has no TLS: libpq ignores all of it there.
  const files = target.tls && !isSocketHost(f.host) ? await writeLibpqTlsFiles(target.tls, mode, context, tempRoot) : null;
  if (files) {
    for (const variable of ['PGSSLROOTCERT', 'PGSSLCERT', 'PGSSLKEY']) delete env[variable];
    Object.assign(env, files.env);
  }
  return {
    args: ['--host', f.host, '--port', String(f.port), '--username', f.user, '--no-password', '--dbname', database ?? f.database],
    env,
    dispose: files ? files.dispose : async () => undefined,
  };
}

export interface PgDumpBackupResult {
  sizeBytes: number;
  checksum: string;
  tables: TableFingerprint[];
}

/** Runs `pg_dump -Fc` into `out` while fingerprinting every table in the same snapshot. */
export async function writePgDumpBackup(target: ConnectionTarget, context: EngineContext, tools: PgTools, out: Writable): Promise<PgDumpBackupResult> {
  const main = await openCopySession(target, context, 'backup');
  let invocation: LibpqInvocation | undefined;
  try {
    await main.query('begin isolation level repeatable read read only');
    const snapshotId = (await main.query<{ id: string }>('select pg_catalog.pg_export_snapshot() as id')).rows[0].id;
    invocation = await libpqInvocation(target, context, 'backup');
    const { args, env } = invocation;
    const child = spawn(tools.pgDump, ['--format=custom', `--snapshot=${snapshotId}`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr = collect(child);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      sizeBytes += chunk.length;
    });
    const written = pipeline(child.stdout!, out).catch((error: unknown) => {
      child.kill();
      throw error;
    });
    const exited = exitOf(child);
    // The exporting transaction must stay open until pg_dump has imported the snapshot; fingerprinting keeps it busy meanwhile.
    const [tables] = await Promise.all([fingerprintDatabase(main), written, exited]).catch(async (error: unknown) => {
      child.kill();
      await Promise.allSettled([written, exited]);
      throw error;
    });
    const code = await exited;
    if (code !== 0) throw new StepstoneError('BACKUP_FAILED', `pg_dump failed (exit code ${code}): ${firstErrorLines(stderr()) || 'no message'}`);
    await main.query('commit');
    return { sizeBytes, checksum: hash.digest('hex'), tables };
  } finally {
    await invocation?.dispose();
    await closeQuietly(main);
  }
}

/**
 * Restores a custom-format file into the target's database in one transaction: the user schemas
 * and large objects are dropped first (objects made after the backup go too), then pg_restore's script runs through
 * psql with ON_ERROR_STOP, then `beforeCommit`; any error rolls all of it back.
 */
export async function restorePgDumpInPlace(target: ConnectionTarget, context: EngineContext, tools: PgTools, file: string, beforeCommit?: string): Promise<void> {
  if (!tools.psql) {
    throw new StepstoneError('RESTORE_FAILED', `No psql beside ${tools.pgRestore}: it is needed to restore into the same database in one transaction.`, {
      hint: 'Install the PostgreSQL client tools (psql) next to pg_restore, or restore into a new database.',
    });
  }
  const client = await openCopySession(target, context, 'restore');
  let replacement;
  try {
    replacement = await planSchemaReplacement(client);
  } finally {
    await closeQuietly(client);
  }
  const prelude = [
    'begin;',
    "set local lock_timeout = '60s';",
    ...replacement.drop.map((s) => `${s};`),
    // Large objects live outside the schemas; the dump recreates the ones it holds.
    'select pg_catalog.lo_unlink(oid) from pg_catalog.pg_largeobject_metadata;',
    // pg_dump assumes `public` exists and never creates it.
    ...(replacement.existing.includes('public') ? ['create schema public;'] : []),
  ].join('\n');
  // `beforeCommit`: SQL of the caller's that must commit with the restore or not at all.
  const epilogue = [...replacement.reapply.map((s) => `${s};`), ...(beforeCommit ? [`${beforeCommit};`] : []), 'commit;'].join('\n');

  const { args, env, dispose } = await libpqInvocation(target, context, 'restore');
  try {
    // Notices (e.g. "drop cascades to …") would bury the one error line worth showing.
    const psqlEnv = { ...env, PGOPTIONS: `${env.PGOPTIONS ?? ''} -c client_min_messages=warning`.trim() };
    const psql = spawn(tools.psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], { env: psqlEnv, stdio: ['pipe', 'ignore', 'pipe'] });
    const script = spawn(tools.pgRestore, ['--file=-', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const psqlErrors = collect(psql);
    const restoreErrors = collect(script);
    const psqlExit = exitOf(psql);
    const scriptExit = exitOf(script);
    const feeding = (async () => {
      psql.stdin!.write(`${prelude}\n`);
      await pipeline(script.stdout!, psql.stdin!, { end: false });
      psql.stdin!.end(`\n${epilogue}\n`);
    })().catch(() => {
      // psql stopped reading (it failed): its exit code and message tell why.
      script.kill();
    });
    const [psqlCode, scriptCode] = await Promise.all([psqlExit, scriptExit, feeding]);
    if (psqlCode !== 0 || scriptCode !== 0) {
      const why = firstErrorLines(psqlErrors()) || firstErrorLines(restoreErrors()) || `exit codes psql ${psqlCode}, pg_restore ${scriptCode}`;
      throw new StepstoneError('RESTORE_FAILED', `Restoring with pg_restore failed, nothing was changed: ${why}`, { hint: 'Check the message; the database is as it was before the restore.' });
    }
  } finally {
    await dispose();
  }
}

/** Restores a custom-format file into an empty database (created by the caller) in one transaction. */
export async function restorePgDumpInto(target: ConnectionTarget, context: EngineContext, tools: PgTools, file: string, database: string): Promise<void> {
  const { args, env, dispose } = await libpqInvocation(target, context, 'restore', database);
  try {
    // The archive goes through pg_restore's stdin, not as a path: if this process dies (SIGKILL), the pipe closes,
    // pg_restore reads a truncated archive and its one transaction rolls back, instead of restoring on as an orphan.
    const child = spawn(tools.pgRestore, ['--single-transaction', '--exit-on-error', ...args], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    const stderr = collect(child);
    const feeding = pipeline(createReadStream(file), child.stdin!).catch(() => undefined); // a failing pg_restore stops reading: its exit says why
    const code = await exitOf(child);
    await feeding;
    if (code !== 0) {
      throw new StepstoneError('RESTORE_FAILED', `pg_restore failed (exit code ${code}): ${firstErrorLines(stderr()) || 'no message'}`);
    }
  } finally {
    await dispose();
  }
}

/** The ERROR lines of a tool's output (or its first lines), in one line. */
function firstErrorLines(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /\b(ERROR|FATAL|error):/.test(l));
  return (errors.length ? errors : lines).slice(0, 5).join(' ');
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (text.length < 20_000) text += chunk.toString('utf8');
  });
  return () => text;
}

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', (error) =>
      reject(new StepstoneError('BACKUP_FAILED', `Could not run ${child.spawnfile}: ${error.message}`, { cause: error })),
    );
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
