/** Quoting for identifiers and string literals in generated DDL. */

/** Always-quoted identifier: exact case and any character survive. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** "schema"."name". */
export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A string literal; E'' form when backslashes appear so it reads the same whatever standard_conforming_strings says. */
export function quoteLiteral(value: string): string {
  const doubled = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${doubled.replace(/\\/g, '\\\\')}'` : `'${doubled}'`;
}
