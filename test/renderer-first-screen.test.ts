// The first screen's bundle stays without zod and highlight.js: a static value import of a zod
// schema module (the contract, the domain…) or of highlight.js anywhere in the renderer puts it
// back in (parsed and built before the first render; 594 kB -> 444 kB when they left). Types are
// free (`import type`); values come from src/shared/enums.ts; highlight.js loads from its chunk.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'renderer');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });

const shared = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'shared');
/** The shared modules that build zod schemas (the contract and the concepts it is made of). */
const zodModules = new Set(sources(shared).filter((file) => /from 'zod'/.test(readFileSync(file, 'utf8'))).map((file) => relative(shared, file).replace(/\.tsx?$/, '')));
const importsZodModule = (statement: string) => {
  const from = /from\s+'[^']*shared\/([^']+)'/.exec(statement)?.[1];
  return from !== undefined && zodModules.has(from);
};

describe("the renderer's first screen", () => {
  it('imports no zod schema module and no highlight.js as values (types only; highlight.js through its chunk)', () => {
    expect(zodModules).toContain('contract');
    const offenders: string[] = [];
    for (const file of sources(here)) {
      const name = relative(here, file);
      for (const statement of readFileSync(file, 'utf8').match(/^import\s[^;]*?from\s+'[^']+';/gms) ?? []) {
        if (/^import\s+type\s/.test(statement)) continue;
        if (importsZodModule(statement) || (/'highlight\.js/.test(statement) && name !== join('components', 'highlighter.ts'))) offenders.push(`${name}: ${statement.replace(/\s+/g, ' ')}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
