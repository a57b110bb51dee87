/**
 * A column as Knex's schema builder declares it — only in the forms the builder renders exactly:
 * the common types by their builder method, everything else (arrays, enums, collations, identity,
 * generated columns) through `specificType`, defaults through `knex.raw` unless a plain number or
 * boolean. Comments are left to raw `comment on` statements (Knex does not escape every quote).
 */
import type { Column, Sequence } from '../../shared/schema';
import { quoteIdentIfNeeded } from '../schema/sql-quoting';
import { jsString } from './js-literals';

const TYPED: Record<string, (name: string) => string> = {
  integer: (n) => `t.integer(${n})`,
  bigint: (n) => `t.bigInteger(${n})`,
  smallint: (n) => `t.smallint(${n})`,
  text: (n) => `t.text(${n})`,
  boolean: (n) => `t.boolean(${n})`,
  uuid: (n) => `t.uuid(${n})`,
  jsonb: (n) => `t.jsonb(${n})`,
  json: (n) => `t.json(${n})`,
  date: (n) => `t.date(${n})`,
  'double precision': (n) => `t.double(${n})`,
  bytea: (n) => `t.binary(${n})`,
  'timestamp with time zone': (n) => `t.timestamp(${n}, { useTz: true })`,
  'timestamp without time zone': (n) => `t.timestamp(${n}, { useTz: false })`,
};

/** The builder call creating the column's type, e.g. `t.string('email', 320)`. */
function typeCall(c: Column, serial: SerialKind | null): string {
  const name = jsString(c.name);
  if (serial === 'serial') return `t.increments(${name}, { primaryKey: false })`;
  if (serial === 'bigserial') return `t.bigIncrements(${name}, { primaryKey: false })`;
  if (serial === 'smallserial') return `t.specificType(${name}, 'smallserial')`;
  const special = c.collation !== null || c.identity !== null || c.generated !== null;
  if (!special) {
    const typed = TYPED[c.type];
    if (typed) return typed(name);
    const varchar = /^character varying\((\d+)\)$/.exec(c.type);
    if (varchar) return `t.string(${name}, ${varchar[1]})`;
    const numeric = /^numeric\((\d+),(\d+)\)$/.exec(c.type);
    if (numeric) return `t.decimal(${name}, ${numeric[1]}, ${numeric[2]})`;
  }
  return `t.specificType(${name}, ${jsString(specificType(c))})`;
}

/** The type with what must follow it before NOT NULL/DEFAULT: collation, identity, generation. */
export function specificType(c: Column): string {
  let text = c.type;
  if (c.collation) text += ` collate ${c.collation}`;
  if (c.generated !== null) text += ` generated always as (${c.generated}) ${c.generatedKind === 'virtual' ? 'virtual' : 'stored'}`;
  if (c.identity) {
    const s = c.identitySequence;
    const options = s ? identityOptions(c.type, s) : '';
    text += ` generated ${c.identity} as identity${options ? ` (${options})` : ''}`;
  }
  return text;
}

const TYPE_MAX: Record<string, string> = { smallint: '32767', integer: '2147483647', bigint: '9223372036854775807' };

/** Identity sequence options that differ from PostgreSQL's defaults for the column's type. */
function identityOptions(type: string, s: NonNullable<Column['identitySequence']>): string {
  const ascending = !s.increment.startsWith('-');
  const parts: string[] = [];
  if (s.increment !== '1') parts.push(`increment by ${s.increment}`);
  const defaultMin = ascending ? '1' : `-${TYPE_MAX[type] ?? ''}`;
  const defaultMax = ascending ? TYPE_MAX[type] : '-1';
  if (s.min !== defaultMin) parts.push(`minvalue ${s.min}`);
  if (s.max !== defaultMax) parts.push(`maxvalue ${s.max}`);
  if (s.start !== (ascending ? s.min : s.max)) parts.push(`start with ${s.start}`);
  if (s.cache !== '1') parts.push(`cache ${s.cache}`);
  if (s.cycle) parts.push('cycle');
  return parts.join(' ');
}

/** `serial`-style columns: an integer default nextval() of a sequence it owns, with default options and name. */
export type SerialKind = 'serial' | 'bigserial' | 'smallserial';

const SERIAL_OF: Record<string, SerialKind> = { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' };

/** The owned sequence that makes `column` of `schema.table` a serial column, if it is one. */
export function serialSequence(schema: string, table: string, c: Column, sequences: readonly Sequence[]): { kind: SerialKind; sequence: Sequence } | null {
  const kind = SERIAL_OF[c.type];
  if (!kind || c.identity || c.generated !== null || c.default === null) return null;
  const sequence = sequences.find((s) => s.schema === schema && s.ownedBy?.table === table && s.ownedBy.column === c.name);
  if (!sequence) return null;
  const qualified = `${quoteIfNeeded(schema)}.${quoteIfNeeded(sequence.name)}`;
  if (c.default !== `nextval('${qualified.replace(/'/g, "''")}'::regclass)`) return null;
  const defaults =
    sequence.dataType === c.type &&
    sequence.start === '1' &&
    sequence.increment === '1' &&
    sequence.min === '1' &&
    sequence.max === TYPE_MAX[c.type] &&
    sequence.cache === '1' &&
    !sequence.cycle &&
    sequence.name === defaultSequenceName(table, c.name);
  return defaults ? { kind, sequence } : null;
}

/** PostgreSQL's name for a serial column's sequence (truncation of long names aside). */
function defaultSequenceName(table: string, column: string): string {
  return `${table}_${column}_seq`;
}

/** An identifier as PostgreSQL prints it: bare when it can be, else double-quoted. */
export const quoteIfNeeded = quoteIdentIfNeeded;

/**
 * A default the builder can take as a plain value and PostgreSQL stores exactly as `expression`:
 * whole numbers on integer and bigint columns, true/false on booleans (Knex quotes values: '0' on
 * a numeric or smallint column would be stored as '0'::numeric, '0'::smallint).
 */
function plainDefault(type: string, expression: string): string | null {
  if ((type === 'integer' || type === 'bigint') && /^\d+$/.test(expression)) return expression;
  if (type === 'boolean' && (expression === 'true' || expression === 'false')) return expression;
  return null;
}

/** The builder chain declaring `c` (type, NOT NULL, default), without `.alter()`. */
export function columnBuilder(c: Column, serial: SerialKind | null): string {
  let code = typeCall(c, serial);
  if (!c.nullable && serial === null) code += '.notNullable()';
  // A serial's default is the sequence it creates; Knex declares serial columns NOT NULL itself.
  if (c.default !== null && serial === null) {
    const plain = plainDefault(c.type, c.default);
    code += plain !== null ? `.defaultTo(${plain})` : `.defaultTo(knex.raw(${jsString(escapeQuestionMarks(c.default))}))`;
  }
  return code;
}

/** Knex turns every `?` of raw SQL into a bind parameter; `\?` is a literal question mark. */
export function escapeQuestionMarks(sql: string): string {
  return sql.replace(/\?/g, '\\?');
}
