/**
 * Stepstone's own logical backup: schema from introspection, rows through COPY text, all read in
 * one REPEATABLE READ snapshot. The snapshot is exported so extra connections read other tables
 * in parallel and still see exactly the same moment.
 */
import { availableParallelism } from 'node:os';
import { Writable, type Writable as WritableStream } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Knex } from 'knex';
import type pg from 'pg';
import { introspectSchema, renderSchemaDdl } from '../schema';
import type { SchemaSnapshot } from '../../shared/schema';
import { connectOptions, createKnex, type ConnectionTarget } from '../connection/connection-target';
import type { EngineContext } from '../engine-context';
import { explainLoss } from '../connection/connection-loss';
import { lossOf } from '../connection/pg-client';
import { closeQuietly, openCopySession, readServerVersion } from './copy-session';
import { qualify, quoteIdent, quoteLiteral } from '../schema/sql-quoting';
import { BackupFileWriter, type BuiltinManifest, type BuiltinTable, type SequenceValue } from './builtin-file-format';
import { copyOutSql, hashTap } from './table-fingerprint';
import { copyOut } from './copy-out-stream';

const FRAME_BYTES = 1 << 20;

export interface BuiltinBackupOptions {
  /** Where the file's bytes go (a `.partial` file, or a failing stream in tests). */
  out: WritableStream;
  database: string;
  head: string | null;
  context: EngineContext;
  /** Connections reading tables at once (default: CPU count, at most 4). */
  parallel?: number;
  /** An open COPY session (openCopySession) to read with as the main connection; closed here. */
  session?: pg.Client;
  onLog?: (message: string) => void;
}

export interface BuiltinBackupResult {
  sizeBytes: number;
  checksum: string;
  manifest: BuiltinManifest;
}

/** Writes a built-in backup of the target's database to `options.out`. */
export async function writeBuiltinBackup(target: ConnectionTarget, options: BuiltinBackupOptions): Promise<BuiltinBackupResult> {
  const wanted = Math.max(1, options.parallel ?? Math.min(4, availableParallelism()));
  // The other readers' connections are opened while the main one reads the schema, not one by one
  // after it (each is a server process started and a handshake); those the tables do not need are closed.
  const opening = Array.from({ length: wanted - 1 }, () => openCopySession(target, options.context, 'backup'));
  for (const o of opening) o.catch(() => undefined);
  const closeOpening = () => Promise.all(opening.map((o) => o.then(closeQuietly, () => undefined)));
  let main: pg.Client;
  try {
    main = options.session ?? (await openCopySession(target, options.context, 'backup'));
  } catch (error) {
    await closeOpening();
    throw error;
  }
  let knex: Knex | undefined;
  const workers: pg.Client[] = [];
  // What the reading threw: when the server closed the session, the failed ROLLBACK after it would hide why.
  let failure: unknown;
  try {
    knex = await createKnex(target, { ...connectOptions(options.context, 'backup'), poolMax: 1 });
    const writer = new BackupFileWriter(options.out);
    return await knex.transaction(
      (trx) => readAll(trx).catch((error: unknown) => {
        throw (failure = error);
      }),
      { connection: main } as Knex.TransactionConfig,
    );
    async function readAll(trx: Knex.Transaction): Promise<BuiltinBackupResult> {
      await trx.raw('set transaction isolation level repeatable read, read only');
      const server = await readServerVersion(main);
      const schema = await introspectSchema(trx);
      const tables: BuiltinTable[] = schema.tables.map((t) => ({
        schema: t.schema,
        name: t.name,
        columns: t.columns.filter((c) => c.generated === null).map((c) => c.name),
        rows: 0,
        hash: '',
        frames: [],
      }));
      const sequences = await readSequenceValues(main, schema);
      const encoding = (await main.query<{ e: string }>('select pg_catalog.pg_encoding_to_char(encoding) as e from pg_catalog.pg_database where datname = current_database()')).rows[0].e;

      const parallel = Math.max(1, Math.min(wanted, tables.length));
      if (parallel > 1) {
        const snapshotId = (await main.query<{ id: string }>('select pg_catalog.pg_export_snapshot() as id')).rows[0].id;
        const opened = await Promise.all(opening);
        workers.push(...opened.slice(0, parallel - 1));
        await Promise.all(opened.slice(parallel - 1).map(closeQuietly));
        await Promise.all(workers.map((worker) => joinSnapshot(worker, snapshotId)));
      } else {
        await closeOpening();
      }
      options.onLog?.(`Reading ${tables.length} tables in one snapshot over ${parallel} connection${parallel === 1 ? '' : 's'}.`);

      await writer.start();
      const { order, plain } = await largestFirst(main, tables);
      const next = () => order.shift();
      const readers = [main, ...workers].map(async (client) => {
        for (let index = next(); index !== undefined; index = next()) await copyTableOut(client, tables[index], index, plain.has(index), writer);
        // A reader done while others still read ends its session now instead of after them.
        if (client !== main) await closeQuietly(client);
      });
      try {
        await Promise.all(readers);
      } catch (error) {
        // Stop the other readers' COPY at once instead of letting them finish their tables.
        await Promise.all(workers.map(closeQuietly));
        await Promise.allSettled(readers);
        throw error;
      }

      const manifest: BuiltinManifest = {
        format: 'stepstone-builtin-backup',
        version: 1,
        createdAt: options.context.now().toISOString(),
        database: options.database,
        encoding,
        serverVersion: server.text,
        serverVersionNum: server.num,
        head: options.head,
        schema,
        ddl: renderSchemaDdl(schema),
        tables,
        sequences,
        unsupported: [...schema.unsupported, ...(await describeLargeObjects(main))],
      };
      const { sizeBytes, checksum } = await writer.finish(manifest);
      return { sizeBytes, checksum, manifest };
    }
  } catch (error) {
    // A terminated session: report the server's reason, not the failed ROLLBACK after it.
    throw explainLoss(error, [failure, ...[main, ...workers].map(lossOf)]);
  } finally {
    await Promise.all(workers.map(closeQuietly));
    await closeOpening();
    await knex?.destroy();
    await closeQuietly(main);
  }
}

/** Starts the connection's transaction on the exported snapshot (one round trip: a simple query holds both). */
async function joinSnapshot(client: pg.Client, snapshotId: string): Promise<void> {
  await client.query(`begin isolation level repeatable read read only; set transaction snapshot ${quoteLiteral(snapshotId)}`);
}

/**
 * gzip level 1 with a 4 KiB window (windowBits 12) instead of 32 KiB: on COPY text it compresses
 * ~30% faster and no worse (1M-row bench: 31.9 MB instead of 33.5 MB). Any gunzip reads it.
 */
const GZIP_OPTIONS = { level: 1, windowBits: 12 } as const;

/** COPY one table through the hash, gzip level 1 and ~1 MiB frames into the file. */
async function copyTableOut(client: pg.Client, table: BuiltinTable, index: number, plain: boolean, writer: BackupFileWriter): Promise<void> {
  const copy = client.query(copyOut(plain ? plainCopyOutSql(table) : copyOutSql(table)));
  const tap = hashTap();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const payload = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    table.frames.push(await writer.appendData(index, payload));
  };
  const frames = new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < FRAME_BYTES) return done();
      flush().then(() => done(), done);
    },
    final(done) {
      flush().then(() => done(), done);
    },
  });
  await pipeline(copy, tap, createGzip(GZIP_OPTIONS), frames);
  table.rows = copy.rowCount;
  table.hash = tap.hash.digest('hex');
}

/**
 * Table indexes ordered by size, so the big ones start first and the connections finish together;
 * and those that are plain tables (relkind r), which COPY reads without a query (see plainCopyOutSql).
 */
async function largestFirst(client: pg.Client, tables: BuiltinTable[]): Promise<{ order: number[]; plain: Set<number> }> {
  const { rows } = await client.query<{ i: number; size: string; plain: boolean }>(
    `select t.ordinality - 1 as i, pg_catalog.pg_relation_size(c.oid) as size, coalesce(c.relkind = 'r', false) as plain
     from unnest($1::text[]) with ordinality as t(name, ordinality)
     left join pg_catalog.pg_class c on c.oid = pg_catalog.to_regclass(t.name)`,
    [tables.map((t) => qualify(t.schema, t.name))],
  );
  const order = rows.sort((a, b) => Number(b.size ?? 0) - Number(a.size ?? 0)).map((r) => Number(r.i));
  return { order, plain: new Set(rows.filter((r) => r.plain).map((r) => Number(r.i))) };
}

/**
 * `COPY table (columns) TO STDOUT` for a plain table: the same text as copyOutSql's
 * `COPY (SELECT … FROM ONLY table)` (COPY of a table never reads its inheritance children), without
 * the query's executor (~5% of the server's time on the bench's tables). A partitioned table or one
 * with no column left to copy keeps the query form.
 */
function plainCopyOutSql(table: BuiltinTable): string {
  if (table.columns.length === 0) return copyOutSql(table);
  return `copy ${qualify(table.schema, table.name)} (${table.columns.map(quoteIdent).join(', ')}) to stdout`;
}

/** Current values of the snapshot's sequences and of its identity columns' sequences. */
async function readSequenceValues(client: pg.Client, schema: SchemaSnapshot): Promise<SequenceValue[]> {
  const values: SequenceValue[] = [];
  for (const s of schema.sequences) {
    const { last_value, is_called } = await readSequence(client, qualify(s.schema, s.name));
    values.push({ schema: s.schema, name: s.name, table: null, column: null, lastValue: last_value, isCalled: is_called });
  }
  const tableNames = new Set(schema.tables.map((t) => `${t.schema}\u0000${t.name}`));
  const { rows } = await client.query<{ schema: string; table: string; column: string; seq: string }>(
    `select tn.nspname as schema, t.relname as table, a.attname as column, pg_catalog.format('%I.%I', sn.nspname, s.relname) as seq
     from pg_catalog.pg_depend d
     join pg_catalog.pg_class s on s.oid = d.objid and s.relkind = 'S'
     join pg_catalog.pg_namespace sn on sn.oid = s.relnamespace
     join pg_catalog.pg_class t on t.oid = d.refobjid
     join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
     join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
     where d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
       and d.deptype = 'i' and a.attidentity <> ''
     order by 1, 2, 3`,
  );
  for (const r of rows.filter((r) => tableNames.has(`${r.schema}\u0000${r.table}`))) {
    const { last_value, is_called } = await readSequence(client, r.seq);
    values.push({ schema: r.schema, name: null, table: r.table, column: r.column, lastValue: last_value, isCalled: is_called });
  }
  return values;
}

/** Large objects live outside every schema; COPY does not read them. */
async function describeLargeObjects(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ n: string }>('select count(*)::text as n from pg_catalog.pg_largeobject_metadata');
  const n = Number(rows[0].n);
  return n === 0 ? [] : [`${n} large object${n === 1 ? '' : 's'} (pg_largeobject)`];
}

async function readSequence(client: pg.Client, qualified: string): Promise<{ last_value: string; is_called: boolean }> {
  return (await client.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${qualified}`)).rows[0];
}
