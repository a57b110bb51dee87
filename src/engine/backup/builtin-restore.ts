/**
 * Restores a built-in backup in ONE transaction on one connection: drop the user schemas, run the
 * pre-data DDL, COPY every table back (checking each table's row count and hash as it streams),
 * the post-data DDL, the sequences' values, then commit. Any failure rolls everything back, so
 * an interrupted restore leaves the database exactly as it was.
 */
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { StepstoneError, messageOf } from '../errors';
import { openBackupFile, type BuiltinManifest, type BuiltinTable, type SequenceValue } from './builtin-file-format';
import { qualify, quoteIdent } from './copy-session';
import { planSchemaReplacement } from './replace-user-schemas';
import { hashTap, tableLabel } from './table-fingerprint';

export interface BuiltinRestoreOptions {
  onLog?: (message: string) => void;
  /** Called before each table's COPY (tests use it to interrupt a restore halfway). */
  beforeTable?: (table: string, index: number) => void | Promise<void>;
}

/** Restores the backup file into the database `client` is connected to (with COPY session settings). */
export async function restoreBuiltinBackup(client: pg.Client, file: string, options: BuiltinRestoreOptions = {}): Promise<BuiltinManifest> {
  const reader = await openBackupFile(file);
  try {
    const { manifest } = reader;
    await client.query('begin');
    try {
      // Wait a while for other sessions' locks, but never forever (an idle transaction would block the drop).
      await client.query("set local lock_timeout = '60s'");
      const replacement = await planSchemaReplacement(client);
      for (const sql of replacement.drop) await client.query(sql);
      for (const sql of manifest.ddl.preData) await client.query(sql);
      for (const sql of replacement.reapply) await client.query(sql);
      options.onLog?.(`Loading ${manifest.tables.length} tables.`);
      for (const [index, table] of manifest.tables.entries()) {
        await options.beforeTable?.(tableLabel(table), index);
        await copyTableIn(client, table, reader.tableData(table));
      }
      for (const sql of manifest.ddl.postData) await client.query(sql);
      for (const s of manifest.sequences) await setSequence(client, s);
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

async function copyTableIn(client: pg.Client, table: BuiltinTable, data: NodeJS.ReadableStream): Promise<void> {
  const label = tableLabel(table);
  const tap = hashTap();
  if (table.columns.length === 0) {
    // Nothing to COPY (every column is generated): recreate the right number of rows.
    await client.query(`insert into ${qualify(table.schema, table.name)} select from pg_catalog.generate_series(1, $1)`, [table.rows]);
    return;
  }
  const copy = client.query(copyFrom(`copy ${qualify(table.schema, table.name)} (${table.columns.map(quoteIdent).join(', ')}) from stdin`));
  try {
    await pipeline(data, createGunzip(), tap, copy);
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
