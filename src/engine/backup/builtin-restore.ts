/**
 * Restoring a built-in backup, in pg_restore's order: tables without keys, the rows (COPY, each
 * table's row count and hash checked as it streams), keys and indexes over the loaded rows,
 * foreign keys, the rest, the sequences' values.
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
import { renderRestoreDdl, type ForeignKeyBuild, type IndexBuild } from './restore-ddl';
import { hashTap, tableLabel } from './table-fingerprint';

export interface BuiltinRestoreOptions {
  onLog?: (message: string) => void;
  /** Called before each table's COPY (tests use it to interrupt a restore halfway). */
  beforeTable?: (table: string, index: number) => void | Promise<void>;
  /** Connections loading a new database at once (default: CPU count, at most 4). */
  parallel?: number;
  /** SQL run in the restore's own transaction just before it commits (restoreBuiltinBackup only). */
  beforeCommit?: string;
  /**
   * restoreBuiltinBackupInto only: run on one of the restore's connections once everything is in,
   * before they close (the caller checks what it must and marks the database complete there, without
   * opening another connection). A failure fails the restore.
   */
  whenLoaded?: (client: pg.Client) => Promise<void>;
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
      for (const build of [...ddl.indexes, ...ddl.foreignKeys]) for (const sql of build.statements) await client.query(sql);
      await finish(client, ddl.postData, manifest.sequences);
      if (options.beforeCommit) await client.query(options.beforeCommit);
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
 * Restores the opened backup file (the caller closes it) into `database`, a new empty database on
 * the target's server, over several connections. Not atomic: on failure the caller drops the database.
 */
export async function restoreBuiltinBackupInto(
  target: ConnectionTarget,
  context: EngineContext,
  database: string,
  reader: BackupFileReader,
  options: BuiltinRestoreOptions = {},
): Promise<BuiltinManifest> {
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

    options.onLog?.(`Loading ${manifest.tables.length} tables over ${parallel} connection${parallel === 1 ? '' : 's'}, and ${ddl.indexes.length} keys and indexes as their tables' rows are in.`);
    const bytes = new Map(manifest.tables.map((t) => [qualify(t.schema, t.name), t.frames.reduce((n, [, length]) => n + length, 0)]));
    await loadAndIndex(clients, manifest.tables, ddl.indexes, ddl.foreignKeys, (table) => bytes.get(table) ?? 0, async (client, table, index) => {
      await options.beforeTable?.(tableLabel(table), index);
      await copyTableIn(client, table, reader);
    });
    await main.query('begin');
    await finish(main, ddl.postData, manifest.sequences);
    await main.query('commit');
    await options.whenLoaded?.(main);
    return manifest;
  } finally {
    await Promise.all(clients.map(closeQuietly));
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
  await setSequences(client, sequences);
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
 * Load every table and build every key, index and foreign key over the clients at once, as
 * `pg_restore -j` does: a table's keys and indexes are built as soon as its rows are in, and a
 * foreign key is added as soon as both its tables' rows, keys and indexes are, while the other
 * connections go on loading, instead of after every table is loaded. Work on the largest table
 * first (it is the longest chain: its load, then its builds); never two builds on one table when
 * either needs it alone (so no connection waits on another's lock).
 */
async function loadAndIndex(
  clients: pg.Client[],
  tables: BuiltinTable[],
  builds: IndexBuild[],
  foreignKeys: ForeignKeyBuild[],
  sizeOf: (table: string) => number,
  load: (client: pg.Client, table: BuiltinTable, index: number) => Promise<void>,
): Promise<void> {
  type Task =
    | { kind: 'load'; key: string; table: BuiltinTable; index: number }
    | { kind: 'build'; key: string; build: IndexBuild }
    | { kind: 'foreign'; key: string; foreignKey: ForeignKeyBuild };
  const loads: Task[] = tables.map((table, index) => ({ kind: 'load', key: qualify(table.schema, table.name), table, index }));
  const pending: Task[] = [
    ...loads,
    ...builds.map((build): Task => ({ kind: 'build', key: build.table, build })),
    ...foreignKeys.map((foreignKey): Task => ({ kind: 'foreign', key: foreignKey.table, foreignKey })),
  ];
  // Largest table first; on one table its load, then its keys (they lock it alone), then its other
  // indexes. A foreign key counts both its tables' sizes: it reads both, and once ready it goes first.
  const rank = (t: Task) => (t.kind === 'load' ? 0 : t.kind === 'foreign' ? 3 : t.build.exclusive ? 1 : 2);
  const weight = (t: Task) => sizeOf(t.key) + (t.kind === 'foreign' && t.foreignKey.references !== t.key ? sizeOf(t.foreignKey.references) : 0);
  pending.sort((a, b) => weight(b) - weight(a) || rank(a) - rank(b));
  const tableKeys = new Set(loads.map((t) => t.key));
  const loaded = new Set<string>();
  const running = new Map<string, { shared: number; exclusive: boolean }>();
  const waiting: (() => void)[] = [];
  /** The tables a task locks: ADD FOREIGN KEY locks both of its tables (SHARE ROW EXCLUSIVE: no writes, no index builds). */
  const lockedBy = (t: Task): string[] => (t.kind === 'foreign' ? [...new Set([t.key, t.foreignKey.references])] : [t.key]);
  const exclusive = (t: Task) => t.kind !== 'build' || t.build.exclusive;
  const rowsIn = (table: string) => !tableKeys.has(table) || loaded.has(table);
  const ready = (t: Task): boolean => {
    if (t.kind === 'load') return true;
    // A build waits for its table's rows (a table with no data in the backup has none to wait for);
    // a foreign key for both tables' rows and every key and index on them (the one it references among them).
    const tablesDone = (table: string) => rowsIn(table) && (t.kind === 'build' || !pending.some((p) => p.kind === 'build' && p.key === table));
    return lockedBy(t).every((table) => {
      const use = running.get(table);
      return tablesDone(table) && (!use || (!use.exclusive && !exclusive(t)));
    });
  };
  let stopped = false;
  const wakeAll = () => {
    for (const wake of waiting.splice(0)) wake();
  };
  await inParallel(clients, async (client) => {
    while (pending.length > 0 && !stopped) {
      const at = pending.findIndex(ready);
      if (at < 0) {
        // Everything left waits on a table another connection is loading or building on.
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      const [task] = pending.splice(at, 1);
      const locked = lockedBy(task);
      for (const table of locked) {
        const use = running.get(table) ?? { shared: 0, exclusive: false };
        running.set(table, exclusive(task) ? { shared: 0, exclusive: true } : { shared: use.shared + 1, exclusive: false });
      }
      try {
        if (task.kind === 'load') {
          await load(client, task.table, task.index);
          loaded.add(task.key);
        } else {
          for (const sql of task.kind === 'build' ? task.build.statements : task.foreignKey.statements) await client.query(sql);
        }
      } catch (error) {
        // What waits on this task would wait for ever: every connection stops (inParallel closes them all).
        stopped = true;
        throw error;
      } finally {
        for (const table of locked) {
          const now = running.get(table)!;
          if (exclusive(task) || now.shared <= 1) running.delete(table);
          else running.set(table, { shared: now.shared - 1, exclusive: false });
        }
        wakeAll();
      }
    }
  });
}

/**
 * Decompressed pieces handed to COPY: 256 KiB instead of zlib's 16 KiB (a sixteenth of the
 * callbacks, hash updates, socket writes and garbage: the restore's own CPU time about halves).
 */
const RESTORE_CHUNK_BYTES = 256 * 1024;

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
    await pipeline(reader.tableData(table), createGunzip({ chunkSize: RESTORE_CHUNK_BYTES }), tap, copy);
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

/** Sequences set per query: one round trip for a usual schema, far below the 65,535 parameters a statement takes. */
const SEQUENCES_PER_QUERY = 1000;

/** Every sequence's value, in one `select setval(…), …` per SEQUENCES_PER_QUERY instead of a round trip each. */
async function setSequences(client: pg.Client, sequences: SequenceValue[]): Promise<void> {
  for (let at = 0; at < sequences.length; at += SEQUENCES_PER_QUERY) {
    const params: unknown[] = [];
    const $ = (value: unknown) => `$${params.push(value)}`;
    const calls = sequences.slice(at, at + SEQUENCES_PER_QUERY).flatMap((s) => {
      if (s.name !== null) return [`pg_catalog.setval(${$(qualify(s.schema, s.name))}::regclass, ${$(s.lastValue)}::bigint, ${$(s.isCalled)})`];
      if (s.table !== null && s.column !== null) {
        return [`pg_catalog.setval(pg_catalog.pg_get_serial_sequence(${$(qualify(s.schema, s.table))}, ${$(s.column)}), ${$(s.lastValue)}::bigint, ${$(s.isCalled)})`];
      }
      return [];
    });
    if (calls.length > 0) await client.query(`select ${calls.join(', ')}`, params);
  }
}
