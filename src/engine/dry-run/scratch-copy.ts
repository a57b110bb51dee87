/**
 * A throwaway database on the live server holding a schema-only copy of a snapshot plus Knex's
 * ledger rows, where a plan can run for real (non-transactional steps included) and be dropped.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { SchemaSnapshot } from '../../shared/schema';
import { closeQuietly, openCopySession, quoteIdent, quoteLiteral } from '../backup/copy-session';
import { dropDatabaseQuietly } from '../backup/scratch-database';
import { applicationName, pgConfigOf } from '../connection/connection-target';
import type { Db } from '../database/open-database';
import { messageOf } from '../errors';
import { ensureLedgerTables, qualified, type LedgerNames } from '../ledger/ledger-tables';
import type { LedgerRow } from '../ledger/read-ledger';
import { renderSchemaDdl } from '../schema';

export interface ScratchDatabase {
  name: string;
  knex: Knex;
  /** Closes the connection and drops the database (WITH (FORCE)); never throws. */
  drop(): Promise<void>;
}

/** Why no scratch database can be had, in words for the user. */
export class ScratchUnavailable extends Error {}

/** Same timeouts as the live dry run, so a preview can never hang. */
const SCRATCH_TIMEOUTS = { statement_timeout: 30_000, lock_timeout: 2_000 };

/** Null when a scratch database can be created here, else the reason it cannot. */
export async function scratchUnavailableReason(db: Db): Promise<string | null> {
  if (db.embedded) return 'the embedded database has no server to create a scratch database on';
  const res = await db.knex.raw('select rolcreatedb or rolsuper as ok from pg_catalog.pg_roles where rolname = current_user');
  return res.rows[0]?.ok ? null : 'the database user lacks the CREATEDB privilege needed for a scratch database';
}

/** CREATE DATABASE stepstone_scratch_<random> (empty, same encoding and locale) and a one-connection Knex on it. */
export async function createScratchDatabase(db: Db, onLog?: (message: string) => void): Promise<ScratchDatabase> {
  const name = `stepstone_scratch_${randomBytes(6).toString('hex')}`;
  const admin = await openCopySession(db.target, 'dry-run');
  try {
    const { rows } = await admin.query<{ enc: string; coll: string; ctype: string }>(
      `select pg_catalog.pg_encoding_to_char(encoding) as enc, datcollate as coll, datctype as ctype
         from pg_catalog.pg_database where datname = current_database()`,
    );
    const { enc, coll, ctype } = rows[0];
    await admin.query(
      `create database ${quoteIdent(name)} template template0 encoding ${quoteLiteral(enc)} lc_collate ${quoteLiteral(coll)} lc_ctype ${quoteLiteral(ctype)}`,
    );
  } catch (error) {
    const denied = (error as { code?: string }).code === '42501';
    throw new ScratchUnavailable(denied ? 'the database user lacks the CREATEDB privilege needed for a scratch database' : `could not create a scratch database: ${messageOf(error)}`);
  } finally {
    await closeQuietly(admin);
  }
  const { default: knexFactory } = await import('knex');
  const config = { ...pgConfigOf(db.target, { applicationName: applicationName('dry-run scratch') }), database: name, ...SCRATCH_TIMEOUTS };
  const knex = knexFactory({ client: 'pg', connection: config as Knex.PgConnectionConfig, pool: { min: 0, max: 1 } });
  return {
    name,
    knex,
    async drop() {
      await knex.destroy().catch(() => undefined);
      await dropDatabaseQuietly(db.target, name, onLog);
    },
  };
}

/** Recreates `snapshot` in the (empty) scratch database, then Knex's ledger tables with `ledgerRows`. */
export async function buildSchemaCopy(knex: Knex, snapshot: SchemaSnapshot, names: LedgerNames, ledgerRows: LedgerRow[]): Promise<void> {
  const ddl = renderSchemaDdl(snapshot);
  try {
    await knex.transaction(async (trx) => {
      for (const sql of ddl.preData) await trx.raw(sql);
    });
    await knex.transaction(async (trx) => {
      for (const sql of ddl.postData) await trx.raw(sql);
      await ensureLedgerTables(trx, names);
      for (const row of ledgerRows) {
        await trx.raw(`insert into ${qualified(names, names.migrations)} (name, batch, migration_time) values (?, ?, ?)`, [row.name, row.batch, row.migrationTime || null]);
      }
    });
  } catch (error) {
    throw new ScratchUnavailable(`could not copy the schema into a scratch database: ${messageOf(error)}`);
  }
}
