/**
 * Restoring a built-in backup, in pg_restore's order: tables without keys, the rows (COPY, each
 * table's row count and hash checked as it streams), keys and indexes over the loaded rows,
 * foreign keys and the rest, the sequences' values.
 *
 * Into the database itself: ONE transaction on one connection, so any failure leaves the database
 * exactly as it was. Into a new database (which the caller drops again on failure): the schema in
 * one transaction, then the tables loaded and the indexes built over several connections at once,
 * as `pg_restore -j` does.
 */
import { availableParallelism } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ConnectionTarget } from '../connection/connection-target';
import { StepstoneError, messageOf } from '../errors';
import { openBackupFile, type BackupFileReader, type BuiltinManifest, type BuiltinTable, type SequenceValue } from './builtin-file-format';
import { closeQuietly, openCopySession } from './copy-session';
import { qualify, quoteIdent } from '../schema/sql-quoting';
import type { EngineContext } from '../engine-context';
import { planSchemaReplacement } from './replace-user-schemas';
import { renderRestoreDdl, type IndexBuild } from './restore-ddl';
import { hashTap, tableLabel } from './table-fingerprint';

export interface BuiltinRestoreOptions {
  onLog?: (message: string) => void;
  /** Called before each table's COPY (tests use it to interrupt a restore halfway). */
  beforeTable?: (table: string, index: number) => void | Promise<void>;
  /** Connections loading a new database at once (default: CPU count, at most 4). */
  parallel?: number;
}

/** Restores the backup file into the database `client` is connected to (with COPY session settings), in one transaction. */
export async function restoreBuiltinBackup(client: pg.Client, file: string, options: BuiltinRestoreOptions = {}): Promise<BuiltinManifest> {
  const reader = await openBackupFile(file);
  try {
    const { manifest } = reader;
    const ddl = renderRestoreDdl(manifest.schema);
    await client.query('begin');
    try {
      await createSchema(client, ddl.preData);
      options.onLog?.(`Loading ${manifest.tables.length} tables.`);
      for (const [index, table] of manifest.tables.entries()) {
        await options.beforeTable?.(tableLabel(table), index);
        await copyTableIn(client, table, reader);
      }
      for (const build of ddl.indexes) for (const sql of build.statements) await client.query(sql);
      await finish(client, ddl.postData, manifest.sequences);
      await client.query('commit');
      return manifest;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    await reader.close();
  }
}

/**
 * Restores the backup file into `database`, a new empty database on the target's server, over
 * several connections. Not atomic: on failure the caller drops the database.
 */
export async function restoreBuiltinBackupInto(
  target: ConnectionTarget,
  context: EngineContext,
  database: string,
  file: string,
  options: BuiltinRestoreOptions = {},
): Promise<BuiltinManifest> {
  const reader = await openBackupFile(file);
  const clients: pg.Client[] = [];
  try {
    const { manifest } = reader;
    const ddl = renderRestoreDdl(manifest.schema);
    const parallel = Math.max(1, Math.min(options.parallel ?? Math.min(4, availableParallelism()), Math.max(manifest.tables.length, 1)));
    const opening = Array.from({ length: parallel }, () => openCopySession(target, context, 'restore', database));
    const opened = await Promise.allSettled(opening);
    for (const o of opened) if (o.status === 'fulfilled') clients.push(o.value);
    const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    const [main] = clients;

    await main.query('begin');
    await createSchema(main, ddl.preData);
    await main.query('commit');

    options.onLog?.(`Loading ${manifest.tables.length} tables over ${parallel} connection${parallel === 1 ? '' : 's'}.`);
    // Largest first, so the connections finish together.
    const bytes = new Map(manifest.tables.map((t) => [qualify(t.schema, t.name), t.frames.reduce((n, [, length]) => n + length, 0)]));
    const sizeOf = (table: string) => bytes.get(table) ?? 0;
    const order = manifest.tables.map((table, index) => ({ table, index })).sort((a, b) => sizeOf(qualify(b.table.schema, b.table.name)) - sizeOf(qualify(a.table.schema, a.table.name)));
    await inParallel(clients, async (client) => {
      for (let next = order.shift(); next; next = order.shift()) {
        await options.beforeTable?.(tableLabel(next.table), next.index);
        await copyTableIn(client, next.table, reader);
      }
    });

    options.onLog?.(`Building ${ddl.indexes.length} keys and indexes.`);
    await buildIndexes(clients, ddl.indexes, sizeOf);
    await main.query('begin');
    await finish(main, ddl.postData, manifest.sequences);
    await main.query('commit');
    return manifest;
  } finally {
    await Promise.all(clients.map(closeQuietly));
    await reader.close();
  }
}

/** Empty the database's user schemas and create the backup's objects (inside the caller's transaction). */
async function createSchema(client: pg.Client, preData: string[]): Promise<void> {
  // Wait a while for other sessions' locks, but never forever (an idle transaction would block the drop).
  await client.query("set local lock_timeout = '60s'");
  const replacement = await planSchemaReplacement(client);
  for (const sql of replacement.drop) await client.query(sql);
  for (const sql of preData) await client.query(sql);
  for (const sql of replacement.reapply) await client.query(sql);
}

/** Foreign keys and the rest, then the sequences' values (inside the caller's transaction). */
async function finish(client: pg.Client, postData: string[], sequences: SequenceValue[]): Promise<void> {
  for (const sql of postData) await client.query(sql);
  for (const s of sequences) await setSequence(client, s);
}

/** Run `work` once per client at the same time; on the first failure, stop the others' statements and rethrow it. */
async function inParallel(clients: pg.Client[], work: (client: pg.Client) => Promise<void>): Promise<void> {
  const runs = clients.map((client) => work(client));
  try {
    await Promise.all(runs);
  } catch (error) {
    await Promise.all(clients.map(closeQuietly));
    await Promise.allSettled(runs);
    throw error;
  }
}

/**
 * Build every key and index over the clients at once, largest table first, never two builds on
 * one table when either needs it alone (so no connection waits on another's lock).
 */
async function buildIndexes(clients: pg.Client[], builds: IndexBuild[], sizeOf: (table: string) => number): Promise<void> {
  // Keys first on each table (they lock it alone), then its other indexes side by side.
  const queue = [...builds].sort((a, b) => sizeOf(b.table) - sizeOf(a.table) || Number(b.exclusive) - Number(a.exclusive));
  const running = new Map<string, { shared: number; exclusive: boolean }>();
  const waiting: (() => void)[] = [];
  const takeNext = (): IndexBuild | undefined => {
    const at = queue.findIndex((b) => {
      const use = running.get(b.table);
      return !use || (!use.exclusive && !b.exclusive);
    });
    return at < 0 ? undefined : queue.splice(at, 1)[0];
  };
  await inParallel(clients, async (client) => {
    while (queue.length > 0) {
      const build = takeNext();
      if (!build) {
        // Every remaining build waits on a table another connection is working on.
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      const use = running.get(build.table) ?? { shared: 0, exclusive: false };
      running.set(build.table, build.exclusive ? { shared: 0, exclusive: true } : { shared: use.shared + 1, exclusive: false });
      try {
        for (const sql of build.statements) await client.query(sql);
      } finally {
        const now = running.get(build.table)!;
        if (build.exclusive || now.shared <= 1) running.delete(build.table);
        else running.set(build.table, { shared: now.shared - 1, exclusive: false });
        for (const wake of waiting.splice(0)) wake();
      }
    }
  });
}

async function copyTableIn(client: pg.Client, table: BuiltinTable, reader: BackupFileReader): Promise<void> {
  const label = tableLabel(table);
  const tap = hashTap();
  if (table.columns.length === 0) {
    // Nothing to COPY (every column is generated): recreate the right number of rows.
    await client.query(`insert into ${qualify(table.schema, table.name)} select from pg_catalog.generate_series(1, $1)`, [table.rows]);
    return;
  }
  const copy = client.query(copyFrom(`copy ${qualify(table.schema, table.name)} (${table.columns.map(quoteIdent).join(', ')}) from stdin`));
  try {
    await pipeline(reader.tableData(table), createGunzip(), tap, copy);
  } catch (error) {
    throw new StepstoneError('RESTORE_FAILED', `Loading the rows of ${label} failed: ${messageOf(error)}`, { cause: error });
  }
  const hash = tap.hash.digest('hex');
  if (copy.rowCount !== table.rows || hash !== table.hash) {
    throw new StepstoneError(
      'RESTORE_FAILED',
      `The rows of ${label} read back from the backup do not match what was recorded (${copy.rowCount} rows, expected ${table.rows}).`,
      { hint: 'The backup file is damaged; nothing was changed. Use another backup.' },
    );
  }
}

async function setSequence(client: pg.Client, s: SequenceValue): Promise<void> {
  if (s.name !== null) {
    await client.query('select pg_catalog.setval($1::regclass, $2::bigint, $3)', [qualify(s.schema, s.name), s.lastValue, s.isCalled]);
  } else if (s.table !== null && s.column !== null) {
    await client.query('select pg_catalog.setval(pg_catalog.pg_get_serial_sequence($1, $2), $3::bigint, $4)', [
      qualify(s.schema, s.table),
      s.column,
      s.lastValue,
      s.isCalled,
    ]);
  }
}
