/** JavaScript source literals for generated migration files. */

/** A single-quoted string literal (one line) or a template literal (several lines), exact for any text. */
export function jsString(value: string): string {
  if (!value.includes('\n')) return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
  return `\`${value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

/** An array of string literals. */
export function jsStrings(values: readonly string[]): string {
  return `[${values.map(jsString).join(', ')}]`;
}
