// src/cli and src/service reach the engine only through its façade (src/engine/index.ts): every
// import, re-export, dynamic import and require in them is checked, tests and testkits included.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const ENGINE = join(ROOT, 'src', 'engine');
const FACADE = new Set([ENGINE, join(ENGINE, 'index'), join(ENGINE, 'index.ts')]);
const GUARDED = ['src/cli', 'src/service'];

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;

/** Engine modules other than the façade that `source` (the text of `file`) imports, as written. */
function engineReachIns(file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const specifier = match[2];
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier).replace(/\.(ts|tsx|js|mjs|cjs)$/, '');
    if ((target === ENGINE || target.startsWith(ENGINE + sep)) && !FACADE.has(target)) found.push(specifier);
  }
  return found;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('the engine façade is the only door', () => {
  it('src/cli and src/service import the engine only as src/engine (its index)', () => {
    const violations = GUARDED.flatMap((folder) =>
      sourceFiles(join(ROOT, folder)).flatMap((file) =>
        engineReachIns(file, readFileSync(file, 'utf8')).map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
      ),
    );
    expect(violations, 'add the operation to the façade (src/engine/facade/*, exported by src/engine/index.ts) and use it from there').toEqual([]);
  });

  it('sees every way of reaching into a module, and lets the façade and the contract through', () => {
    const file = join(ROOT, 'src', 'cli', 'commands', 'example.ts');
    const source = [
      "import { getStatus } from '../../engine/status/get-status';",
      "import type { Db } from '../../engine/database/open-database';",
      "export { makePlan } from '../../engine/plan/make-plan';",
      "const { listHistory } = await import('../../engine/history/history-log');",
      "const errors = require('../../engine/errors.ts');",
      "import '../../engine/engine-context';",
      "import { createEngine } from '../../engine';",
      "import { createEngineContext } from '../../engine/index';",
      "import type { Plan } from '../../shared/plan';",
      "import { note } from '../output';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(engineReachIns(file, source)).toEqual([
      '../../engine/status/get-status',
      '../../engine/database/open-database',
      '../../engine/plan/make-plan',
      '../../engine/history/history-log',
      '../../engine/errors.ts',
      '../../engine/engine-context',
    ]);
  });
});
