/**
 * Quoting of identifiers and string literals, written once for every SQL Stepstone builds (DDL,
 * ledger queries, backups, shadow databases, scripts): node-postgres's own escapeIdentifier and
 * escapeLiteral, the functions the driver that runs the SQL trusts.
 */
import pg from '../connection/pg-driver';

/** Always-quoted identifier: exact case and any character (a `"` is doubled) survive. */
export function quoteIdent(name: string): string {
  return pg.escapeIdentifier(name);
}

/** "schema"."name". */
export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A string literal: `'it''s'`, or `E'a\\b'` when it holds a backslash, so it reads the same whatever
 * standard_conforming_strings says (pg's leading space before the E is dropped: nothing here needs it).
 */
export function quoteLiteral(value: string): string {
  return pg.escapeLiteral(value).trimStart();
}

/** A name as PostgreSQL prints it: bare when it needs no quotes, quoted otherwise. */
export function quoteIdentIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdent(name);
}
