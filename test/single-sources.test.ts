// Two things Stepstone does in exactly one place, kept so by a scan (as errorInfo is by
// error-info-makers.test.ts): every pg connection is opened by engine/connection/pg-client.ts (so it
// has its 'error' listener from birth and a failed attempt closes its socket), and SQL identifiers and
// literals are quoted by engine/schema/sql-quoting.ts (pg's escapeIdentifier/escapeLiteral).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): string[] => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|testkit)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** `file:line` of every line of src (tests aside, `allowed` aside) that `pattern` matches. */
function linesMatching(pattern: RegExp, allowed: string[]): string[] {
  return sourceFiles(SRC)
    .filter((path) => !allowed.some((file) => path.endsWith(file)))
    .flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) => (pattern.test(line) ? [`${relative(SRC, path)}:${index + 1}`] : [])),
    );
}

describe('written once', () => {
  it('pg clients and pools are created only in engine/connection/pg-client.ts', () => {
    expect(linesMatching(/new\s+(?:[\w.]+\.)?(?:Client|Pool)\s*\(/, [join('engine', 'connection', 'pg-client.ts')])).toEqual([]);
  });

  it('no hand-written SQL identifier quoting outside engine/schema/sql-quoting.ts', () => {
    // The copies this replaced doubled quotes by hand: replace(/"/g, '""') or replaceAll('"', '""').
    const doubling = /replace(?:All)?\(\s*(?:\/"\/g|'"'|"\\"")\s*,\s*(?:'""'|"\\"\\"")/;
    expect(linesMatching(doubling, [join('engine', 'schema', 'sql-quoting.ts')])).toEqual([]);
  });

  it('the scans find what they look for (a copy of each, as a source file would have it)', () => {
    expect(/new\s+(?:[\w.]+\.)?(?:Client|Pool)\s*\(/.test('const c = new pg.Client({ connectionString })')).toBe(true);
    expect(/replace(?:All)?\(\s*(?:\/"\/g|'"'|"\\"")\s*,\s*(?:'""'|"\\"\\"")/.test(`return '"' + name.replace(/"/g, '""') + '"';`)).toBe(true);
  });
});
