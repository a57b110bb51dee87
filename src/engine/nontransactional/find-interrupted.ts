/**
 * Non-transactional migrations that were interrupted (their journal row is open and the run that
 * wrote it is gone) or failed part-way, examined against the catalog: which objects they create or
 * drop exist now, whether an index is valid (pg_index.indisvalid), whether a statement still runs,
 * and the repairs that fit. Read-only: status calls it.
 */
import type { InterruptedMigration, ObjectFinding, RepairOption } from '../../shared/interrupted-migration';
import { type SqlSource, readerOf } from '../database/sql-reader';
import { type LedgerNames, existingTables, qualified } from '../ledger/ledger-tables';
import { qualify, quoteIdent } from '../schema/sql-quoting';
import { type ObjectRef, statementObjects } from './statement-objects';

interface JournalRow {
  id: string | number;
  name: string;
  direction: 'up' | 'down';
  batch: number | null;
  checksum: string | null;
  started_at: Date | string;
  run_by: string;
  application_name: string | null;
  statements: string[] | string | null;
  outcome: string | null;
  error: string | null;
  holder_alive: boolean;
}

/** An open or failed journal entry as the repair needs it. */
export interface InterruptedEntry extends InterruptedMigration {
  batch: number | null;
  checksum: string | null;
}

const qualifiedName = (o: { schema: string | null; name: string }) => (o.schema ? qualify(o.schema, o.name) : quoteIdent(o.name));

/** The interrupted and failed-part-way non-transactional migrations of this database, oldest first. */
export async function findInterrupted(source: SqlSource, names: LedgerNames, applied: ReadonlySet<string>): Promise<InterruptedEntry[]> {
  const sql = readerOf(source);
  const present = await existingTables(sql, names, [names.nonTransactional]);
  if (!present.has(names.nonTransactional)) return [];
  // The newest entry per migration and direction decides: a later success or repair closes an older interruption.
  const rows = await sql.query<JournalRow>(
    `select * from (
       select distinct on (j.name, j.direction) j.id, j.name, j.direction, j.batch, j.checksum, j.started_at, j.run_by, j.application_name,
              j.statements, j.outcome, j.error,
              (j.holder_pid is not null and exists (select 1 from pg_catalog.pg_stat_activity a where a.pid = j.holder_pid)) as holder_alive
         from ${qualified(names, names.nonTransactional)} j
        order by j.name, j.direction, j.id desc) newest
      where outcome is null or outcome = 'failed'
      order by id`,
  );
  const open = rows.filter((r) => !(r.outcome === null && r.holder_alive));
  if (!open.length) return [];
  const invalidIndexes = (
    await sql.query<{ name: string }>(
      `select n.nspname || '.' || c.relname as name
         from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where not i.indisvalid and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
        order by 1`,
    )
  ).map((r) => r.name);
  const found: InterruptedEntry[] = [];
  for (const row of open) {
    // The ledger says it finished (the process died after recording it): nothing to repair.
    if (row.direction === 'up' ? applied.has(row.name) : !applied.has(row.name)) continue;
    const statements = typeof row.statements === 'string' ? (JSON.parse(row.statements) as string[]) : row.statements;
    const parsed = statements ? await statementObjects(statements) : null;
    const refs = parsed ? (row.direction === 'up' ? parsed.creates : parsed.drops).filter((o) => o.kind !== 'other') : [];
    const objects = await Promise.all(refs.map((ref) => examine(sql, ref)));
    const stillRunning = await runningStatement(sql, row.application_name);
    const state = row.outcome === 'failed' ? 'failed' : 'interrupted';
    // A failure that left nothing behind is an ordinary failed run: its error was reported when it happened.
    if (state === 'failed' && !leftSomething(row.direction, objects)) continue;
    const entry = {
      id: Number(row.id),
      name: row.name,
      direction: row.direction,
      startedAt: new Date(row.started_at).toISOString(),
      state,
      by: row.run_by,
      error: row.error,
      stillRunning,
      objects,
      statementsKnown: parsed !== null,
      invalidIndexes,
      batch: row.batch,
      checksum: row.checksum ? row.checksum.trim() : null,
    } as const;
    found.push({ ...entry, summary: summarize(entry), repairs: repairsFor(entry) });
  }
  return found;
}

async function examine(sql: ReturnType<typeof readerOf>, ref: ObjectRef): Promise<ObjectFinding> {
  const [row] = await sql.query<{ schema: string; name: string; relkind: string; valid: boolean | null }>(
    `select n.nspname as schema, c.relname as name, c.relkind::text as relkind, i.indisvalid as valid
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       left join pg_catalog.pg_index i on i.indexrelid = c.oid
      where c.oid = pg_catalog.to_regclass(?)`,
    [qualifiedName(ref)],
  );
  if (!row) return { kind: ref.kind, name: ref.schema ? `${ref.schema}.${ref.name}` : ref.name, exists: false, valid: null };
  return { kind: ref.kind, name: `${row.schema}.${row.name}`, exists: true, valid: ref.kind === 'index' ? row.valid !== false : null };
}

/** A backend of the interrupted run still executing (the client died; the server finishes the statement). */
async function runningStatement(sql: ReturnType<typeof readerOf>, applicationName: string | null): Promise<InterruptedMigration['stillRunning']> {
  if (!applicationName) return null;
  const [row] = await sql.query<{ pid: number; query: string }>(
    `select pid, coalesce(query, '') as query from pg_catalog.pg_stat_activity
      where application_name = ? and state is distinct from 'idle' and pid <> pg_backend_pid()
        and datname = current_database() order by backend_start limit 1`,
    [applicationName],
  );
  return row ? { pid: Number(row.pid), query: row.query } : null;
}

function leftSomething(direction: 'up' | 'down', objects: ObjectFinding[]): boolean {
  return direction === 'up' ? objects.some((o) => o.exists) : objects.some((o) => !o.exists || o.valid === false);
}

type Examined = Omit<InterruptedEntry, 'summary' | 'repairs'>;

function describeObject(o: ObjectFinding, direction: 'up' | 'down'): string {
  if (!o.exists) return direction === 'up' ? `${o.kind} ${o.name} does not exist` : `${o.kind} ${o.name} it drops is already gone`;
  if (o.valid === false) return `index ${o.name} exists but is INVALID (its CONCURRENTLY ${direction === 'up' ? 'build' : 'drop'} did not finish)`;
  return direction === 'up' ? `${o.kind} ${o.name} exists and is complete` : `${o.kind} ${o.name} it drops still exists`;
}

function summarize(e: Examined): string {
  const verb = e.direction === 'up' ? 'upgrade' : 'rollback';
  const head = e.state === 'interrupted' ? `Interrupted during ${e.name} (${verb}, started ${e.startedAt} by ${e.by})` : `${e.name} failed part-way (${verb}, ${e.startedAt}: ${e.error ?? 'unknown error'})`;
  const ledger = e.direction === 'up' ? 'it is not recorded as applied' : 'it is still recorded as applied';
  const parts = [
    `${head}: it runs outside a transaction, so what it did stayed; ${ledger}.`,
    e.stillRunning ? `Its statement still runs on the server (backend ${e.stillRunning.pid}): wait for it to end, or cancel it with select pg_cancel_backend(${e.stillRunning.pid}).` : '',
    e.statementsKnown ? (e.objects.length ? `Found: ${e.objects.map((o) => describeObject(o, e.direction)).join('; ')}.` : `Its SQL ${e.direction === 'up' ? 'creates' : 'drops'} no index or table to check.`) : 'Its SQL could not be read without a database: check what it changes yourself.',
  ];
  return parts.filter(Boolean).join(' ');
}

/** The repairs that fit what was found; each says why it is (not) available and the SQL it runs. */
export function repairsFor(e: Examined): RepairOption[] {
  const busy = e.stillRunning ? `its statement still runs on backend ${e.stillRunning.pid}; wait for it or cancel it first` : null;
  const dropIndex = (o: ObjectFinding) => `drop index concurrently if exists ${o.name.split('.').map(quoteIdent).join('.')}`;
  const next = e.direction === 'up' ? 'upgrade' : 'rollback';
  if (e.direction === 'up') {
    const existing = e.objects.filter((o) => o.exists);
    const blocking = existing.filter((o) => o.kind !== 'index');
    const incomplete = e.objects.filter((o) => !o.exists || o.valid === false);
    const retry: RepairOption = {
      action: 'retry',
      label: existing.length ? `Drop ${existing.map((o) => `${o.valid === false ? 'the invalid ' : ''}${o.kind} ${o.name}`).join(', ')}, then \`${next}\` runs ${e.name} again` : `Clear the interruption; \`${next}\` runs ${e.name} again`,
      available: !busy && blocking.length === 0,
      reason: busy ?? (blocking.length ? `${blocking.map((o) => `${o.kind} ${o.name}`).join(', ')} may hold data: drop it yourself, or record the migration as applied` : e.statementsKnown ? 'nothing it left would make the re-run fail' : 'its SQL could not be read: check that re-running it is safe'),
      sql: existing.filter((o) => o.kind === 'index').map(dropIndex),
    };
    const complete: RepairOption = {
      action: 'complete',
      label: `Record ${e.name} as applied (its objects are complete)`,
      available: !busy && e.statementsKnown && incomplete.length === 0,
      reason:
        busy ??
        (!e.statementsKnown
          ? 'its SQL could not be read, so Stepstone cannot tell that it finished'
          : incomplete.length
            ? `${incomplete.map((o) => `${o.kind} ${o.name} ${o.exists ? 'is invalid' : 'does not exist'}`).join('; ')}`
            : e.objects.length
              ? 'every object it creates exists and is valid'
              : 'it creates no index or table to check: record it only if you know it finished'),
      sql: [],
    };
    return [retry, complete];
  }
  const stillThere = e.objects.filter((o) => o.exists && o.valid !== false);
  const invalid = e.objects.filter((o) => o.exists && o.valid === false);
  const complete: RepairOption = {
    action: 'complete',
    label: `${invalid.length ? `Drop ${invalid.map((o) => `the invalid index ${o.name}`).join(', ')} and record` : 'Record'} ${e.name} as rolled back`,
    available: !busy && e.statementsKnown && stillThere.length === 0,
    reason: busy ?? (!e.statementsKnown ? 'its SQL could not be read, so Stepstone cannot tell that it finished' : stillThere.length ? `${stillThere.map((o) => `${o.kind} ${o.name}`).join(', ')} still exists` : 'what it drops is gone'),
    sql: invalid.map(dropIndex),
  };
  const gone = e.objects.filter((o) => !o.exists || o.valid === false);
  const retry: RepairOption = {
    action: 'retry',
    label: `Clear the interruption; \`${next}\` runs ${e.name} again`,
    available: !busy && gone.length === 0,
    reason: busy ?? (gone.length ? `a re-run would fail: ${gone.map((o) => `${o.kind} ${o.name} is ${o.exists ? 'invalid' : 'already gone'}`).join(', ')}` : 'what it drops is still there'),
    sql: [],
  };
  return [complete, retry];
}
