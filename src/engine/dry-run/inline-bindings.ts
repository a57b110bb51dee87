/**
 * Turns a captured statement (`$1`… placeholders plus bindings, as `pg` sent it) into plain SQL
 * with the values written as literals, for a script a DBA can read and run. Placeholders inside
 * quoted strings, quoted identifiers, dollar-quoted bodies and comments are left alone.
 */
import type { CapturedStatement } from '../../shared/schema';
import { quoteLiteral } from '../schema/sql-quoting';

/** A SQL literal for a binding as `pg` would send it (arrays as array literals, objects as JSON). */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : quoteText(String(value));
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return quoteText(value.toISOString());
  if (Buffer.isBuffer(value)) return quoteText(`\\x${value.toString('hex')}`);
  if (Array.isArray(value)) return quoteText(arrayLiteral(value));
  if (typeof value === 'object') return quoteText(JSON.stringify(value));
  return quoteText(String(value));
}

/** Quoted text that reads the same whatever standard_conforming_strings is: E'' when it holds a backslash. */
function quoteText(text: string): string {
  return quoteLiteral(text);
}

/** `{a,"b c",NULL}` as node-postgres builds it. */
function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** The statement's SQL with every `$n` outside quotes and comments replaced by its binding's literal. */
export function inlineBindings(statement: CapturedStatement): string {
  const { sql, bindings } = statement;
  if (bindings.length === 0) return sql;
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const skipTo = (end: number) => {
      out += sql.slice(i, end);
      i = end;
    };
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === '\\' && c === "'" && /[eE]/.test(sql[i - 1] ?? '')) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      skipTo(Math.min(j + 1, sql.length));
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      skipTo(end < 0 ? sql.length : end);
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      skipTo(end < 0 ? sql.length : end + 2);
    } else if (c === '$') {
      const numbered = /^\$(\d+)/.exec(sql.slice(i));
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (numbered && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const index = Number(numbered[1]) - 1;
        out += index < bindings.length ? sqlLiteral(bindings[index]) : numbered[0];
        i += numbered[0].length;
      } else if (tag && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        skipTo(end < 0 ? sql.length : end + tag[0].length);
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
