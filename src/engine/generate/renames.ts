/**
 * Renames are asked, never guessed: `--rename table.old_col=new_col` and `--rename old_table=new_table`
 * (optionally schema-qualified) are checked against both schemas and applied to the current schema
 * before diffing, so the migration renames instead of dropping and adding. Pairs that look like a
 * rename (a dropped and an added column or table of the same shape) are offered as candidates.
 */
import type { RenameCandidate } from '../../shared/adopt';
import type { Column, SchemaSnapshot, Table } from '../../shared/schema';
import { StepstoneError } from '../errors';
import { quoteIfNeeded } from './column-builder';

export interface TableRename {
  schema: string;
  from: string;
  to: string;
}

export interface ColumnRename {
  schema: string;
  /** The table's name after any table rename. */
  table: string;
  from: string;
  to: string;
}

export interface Renames {
  tables: TableRename[];
  columns: ColumnRename[];
}

export const NO_RENAMES: Renames = { tables: [], columns: [] };

export type { RenameCandidate };

const FORM_HINT = 'Use --rename table.old_column=new_column or --rename old_table=new_table (schema-qualify as schema.table… when needed).';

function invalid(message: string): StepstoneError {
  return new StepstoneError('INVALID_INPUT', message, { hint: FORM_HINT });
}

function tablesNamed(snapshot: SchemaSnapshot, name: string, schema?: string): Table[] {
  return snapshot.tables.filter((t) => t.name === name && (schema === undefined || t.schema === schema));
}

function oneTable(snapshot: SchemaSnapshot, name: string, schema: string | undefined, where: string, spec: string): Table {
  const found = tablesNamed(snapshot, name, schema);
  const shown = schema ? `${schema}.${name}` : name;
  if (found.length === 0) throw invalid(`--rename ${spec}: there is no table ${shown} in ${where}.`);
  if (found.length > 1) throw invalid(`--rename ${spec}: ${shown} names tables in several schemas (${found.map((t) => t.schema).join(', ')}); qualify it with its schema.`);
  return found[0];
}

/** Checks each `--rename` against the current and desired schemas; INVALID_INPUT naming what does not exist. */
export function resolveRenames(specs: readonly string[], current: SchemaSnapshot, desired: SchemaSnapshot): Renames {
  const renames: Renames = { tables: [], columns: [] };
  for (const spec of specs) {
    const match = /^([^=]+)=([^=.]+)$/.exec(spec.trim());
    if (!match) throw invalid(`--rename "${spec}" is not of the form old=new.`);
    const left = match[1].split('.');
    const to = match[2];
    if (left.some((p) => p === '') || left.length > 3) throw invalid(`--rename "${spec}" is not of the form table.old_column=new_column or old_table=new_table.`);
    const isColumn =
      left.length === 3 || (left.length === 2 && (tablesNamed(current, left[0]).length > 0 || tablesNamed(desired, left[0]).length > 0 || renames.tables.some((r) => r.to === left[0])));
    if (!isColumn) {
      const [schema, from] = left.length === 2 ? left : [undefined, left[0]];
      const old = oneTable(current, from, schema, 'the current schema (the migrations folder applied)', spec);
      const now = tablesNamed(desired, to, old.schema);
      if (now.length === 0) throw invalid(`--rename ${spec}: the desired schema has no table ${old.schema}.${to}.`);
      if (tablesNamed(desired, from, old.schema).length > 0) throw invalid(`--rename ${spec}: ${old.schema}.${from} still exists in the desired schema, so it was not renamed.`);
      if (tablesNamed(current, to, old.schema).length > 0) throw invalid(`--rename ${spec}: ${old.schema}.${to} already exists in the current schema.`);
      renames.tables.push({ schema: old.schema, from, to });
      continue;
    }
    const [schema, tableName, from] = left.length === 3 ? left : [undefined, left[0], left[1]];
    const viaRename = renames.tables.find((r) => r.to === tableName && (schema === undefined || r.schema === schema));
    const old = viaRename
      ? oneTable(current, viaRename.from, viaRename.schema, 'the current schema', spec)
      : oneTable(current, tableName, schema, 'the current schema (the migrations folder applied)', spec);
    const newName = viaRename?.to ?? renames.tables.find((r) => r.schema === old.schema && r.from === old.name)?.to ?? old.name;
    const now = oneTable(desired, newName, old.schema, 'the desired schema', spec);
    if (!old.columns.some((c) => c.name === from)) throw invalid(`--rename ${spec}: ${old.schema}.${old.name} has no column ${from} in the current schema.`);
    if (!now.columns.some((c) => c.name === to)) throw invalid(`--rename ${spec}: ${now.schema}.${now.name} has no column ${to} in the desired schema.`);
    if (now.columns.some((c) => c.name === from)) throw invalid(`--rename ${spec}: ${now.schema}.${now.name}.${from} still exists in the desired schema, so it was not renamed.`);
    if (old.columns.some((c) => c.name === to)) throw invalid(`--rename ${spec}: ${old.schema}.${old.name}.${to} already exists in the current schema.`);
    renames.columns.push({ schema: old.schema, table: newName, from, to });
  }
  return renames;
}

/** `renames` reversed: what `down` undoes, in reverse order. */
export function invertRenames(renames: Renames): Renames {
  return {
    tables: [...renames.tables].reverse().map((r) => ({ schema: r.schema, from: r.to, to: r.from })),
    columns: [...renames.columns].reverse().map((r) => ({ schema: r.schema, table: r.table, from: r.to, to: r.from })),
  };
}

/** Replaces identifier `from` with `to` in SQL PostgreSQL printed (bare or double-quoted, whole words only). */
export function replaceIdentifier(sql: string, from: string, to: string): string {
  const old = quoteIfNeeded(from);
  const escaped = old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return sql.replace(new RegExp(`(?<![\\w$"])${escaped}(?![\\w$"])`, 'g'), quoteIfNeeded(to));
}

/** The current schema as it is once the renames ran (PostgreSQL renames in place; dependent definitions follow). */
export function applyRenames(snapshot: SchemaSnapshot, renames: Renames): SchemaSnapshot {
  let result: SchemaSnapshot = structuredClone(snapshot);
  for (const r of renames.tables) result = renameTable(result, r);
  for (const r of renames.columns) result = renameColumn(result, r);
  return result;
}

function renameTable(s: SchemaSnapshot, r: TableRename): SchemaSnapshot {
  const oldName = `${quoteIfNeeded(r.schema)}.${quoteIfNeeded(r.from)}`;
  const newName = `${quoteIfNeeded(r.schema)}.${quoteIfNeeded(r.to)}`;
  const swap = (sql: string) => sql.split(oldName).join(newName);
  for (const t of s.tables) {
    const own = t.schema === r.schema && t.name === r.from;
    if (own) {
      t.name = r.to;
      for (const i of t.indexes) i.definition = swap(i.definition);
    }
    for (const c of t.constraints) {
      if (c.references && c.references.schema === r.schema && c.references.table === r.from) {
        c.references.table = r.to;
        c.definition = swap(c.definition);
      }
    }
  }
  for (const tr of s.triggers) {
    if (tr.schema === r.schema && tr.table === r.from) {
      tr.table = r.to;
      tr.definition = swap(tr.definition);
    }
  }
  for (const q of s.sequences) if (q.schema === r.schema && q.ownedBy?.table === r.from) q.ownedBy.table = r.to;
  for (const v of s.views) {
    if (v.definition.includes(oldName)) v.definition = replaceIdentifier(swap(v.definition), r.from, r.to);
  }
  return s;
}

function renameColumn(s: SchemaSnapshot, r: ColumnRename): SchemaSnapshot {
  const swap = (sql: string) => replaceIdentifier(sql, r.from, r.to);
  const table = s.tables.find((t) => t.schema === r.schema && t.name === r.table);
  if (!table) return s;
  for (const c of table.columns) {
    if (c.name === r.from) c.name = r.to;
    if (c.generated !== null) c.generated = swap(c.generated);
  }
  for (const c of table.constraints) {
    c.columns = c.columns.map((n) => (n === r.from ? r.to : n));
    c.definition = c.kind === 'foreign' ? swapBeforeReferences(c.definition, swap) : swap(c.definition);
  }
  for (const i of table.indexes) {
    i.keys = i.keys.map(swap);
    i.definition = swap(i.definition);
    if (i.predicate !== null) i.predicate = swap(i.predicate);
  }
  for (const t of s.tables) {
    for (const c of t.constraints) {
      const ref = c.references;
      if (ref && ref.schema === r.schema && ref.table === r.table && ref.columns.includes(r.from)) {
        ref.columns = ref.columns.map((n) => (n === r.from ? r.to : n));
        const at = c.definition.indexOf(' REFERENCES ');
        c.definition = c.definition.slice(0, at) + swap(c.definition.slice(at));
      }
    }
  }
  for (const tr of s.triggers) if (tr.schema === r.schema && tr.table === r.table) tr.definition = swap(tr.definition);
  for (const q of s.sequences) if (q.schema === r.schema && q.ownedBy?.table === r.table && q.ownedBy.column === r.from) q.ownedBy.column = r.to;
  return s;
}

/** In a foreign key's definition, only the local column list (before REFERENCES) names this table's columns. */
function swapBeforeReferences(definition: string, swap: (sql: string) => string): string {
  const at = definition.indexOf(' REFERENCES ');
  return at < 0 ? swap(definition) : swap(definition.slice(0, at)) + definition.slice(at);
}

function shapeOf(columns: readonly Column[]): string {
  return columns.map((c) => `${c.name}:${c.type}`).sort().join(',');
}

/** Dropped-and-added pairs of the same shape that were not named as renames. */
export function renameCandidates(current: SchemaSnapshot, desired: SchemaSnapshot): RenameCandidate[] {
  const key = (t: Table) => `${t.schema}.${t.name}`;
  const currentTables = new Map(current.tables.map((t) => [key(t), t]));
  const desiredTables = new Map(desired.tables.map((t) => [key(t), t]));
  const gone = current.tables.filter((t) => !desiredTables.has(key(t)));
  const added = desired.tables.filter((t) => !currentTables.has(key(t)));
  const candidates: RenameCandidate[] = [];
  for (const old of gone) {
    for (const now of added) {
      if (old.schema === now.schema && shapeOf(old.columns) === shapeOf(now.columns)) {
        candidates.push({ kind: 'table', from: key(old), to: key(now), option: `--rename ${old.schema === 'public' ? '' : `${old.schema}.`}${old.name}=${now.name}` });
      }
    }
  }
  for (const now of desired.tables) {
    const old = currentTables.get(key(now));
    if (!old) continue;
    const dropped = old.columns.filter((c) => !now.columns.some((d) => d.name === c.name));
    const fresh = now.columns.filter((c) => !old.columns.some((d) => d.name === c.name));
    for (const a of dropped) {
      for (const b of fresh) {
        if (a.type === b.type) {
          const table = now.schema === 'public' ? now.name : `${now.schema}.${now.name}`;
          candidates.push({ kind: 'column', from: `${key(now)}.${a.name}`, to: `${key(now)}.${b.name}`, option: `--rename ${table}.${a.name}=${b.name}` });
        }
      }
    }
  }
  return candidates;
}
