import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): string[] => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('every layer makes its errors through errorInfo', () => {
  it('no source file builds an error as an object literal with a code', () => {
    // `{ code: 'X', message … }` bypasses errorInfo (and, untyped, the list of codes).
    const literal = /\{\s*code:\s*['"`A-Z]/;
    const offenders = sourceFiles(SRC)
      .filter((path) => !path.endsWith(join('shared', 'errors.ts')))
      .flatMap((path: string) => {
        const lines: string[] = readFileSync(path, 'utf8').split('\n');
        return lines.flatMap((line, index) => (literal.test(line) ? [`${relative(SRC, path)}:${index + 1}`] : []));
      });
    expect(offenders).toEqual([]);
  });
});
