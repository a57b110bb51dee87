// The engine and the service keep no state at module level (issue 9): what was ambient lives in the
// EngineContext (or the object that owns it), so two engines in one process never share any. The
// scan finds top-level `let`/`var` and top-level empty Map/Set/WeakMap/array containers in their
// source; the allowed ones are memos of lazily loaded code, which hold no facts of any engine.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngineContext } from '../src/engine';

const ROOT = resolve(__dirname, '..');
const SCANNED = ['src/engine', 'src/service'];

/** file: the declared name, for state that is only a memo of code loaded on first use (or keyed by objects it describes). */
const ALLOWED = new Set([
  'src/engine/modules/load-user-module.ts: esbuild', // the esbuild module, imported on first transform
  'src/engine/lint/read-statement.ts: parser', // the SQL parser's WASM module, loaded on first lint
  'src/engine/connection/pg-client.ts: lostErrors', // a WeakMap keyed by each pg client: a field of that client
  'src/engine/schema/introspect-schema.ts: serverVersions', // a WeakMap keyed by each Knex's config: a fact of that Knex
  'src/engine/database/pglite-in-worker.ts: queue', // a line of the worker's source text: each worker thread's own
]);

const TOP_LEVEL_STATE = /^(?:export\s+)?(?:(?:let|var)\s+([A-Za-z_$][\w$]*)|const\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:new\s+(?:Map|Set|WeakMap|WeakSet)\s*(?:<[^()=]*>)?\s*\(\s*\)|\[\s*\]))/gm;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$|\.testkit\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('no module-level mutable state in the engine and the service', () => {
  it('has no top-level let/var or empty container outside the allowed memos', () => {
    const found = SCANNED.flatMap((folder) =>
      sourceFiles(join(ROOT, folder)).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(TOP_LEVEL_STATE)].map((m) => `${relative(ROOT, file)}: ${m[1] ?? m[2]}`),
      ),
    );
    expect(found.filter((entry) => !ALLOWED.has(entry))).toEqual([]);
    // The allow-list stays honest: each entry is still there.
    expect([...ALLOWED].filter((entry) => !found.includes(entry))).toEqual([]);
  });

  it('two contexts share no interrupt cleanups and no file-write queue', async () => {
    const a = createEngineContext();
    const b = createEngineContext();
    expect(a.interrupts).not.toBe(b.interrupts);
    expect(a.fileWrites).not.toBe(b.fileWrites);
    const ran: string[] = [];
    const done = a.interrupts.add(async () => void ran.push('a'));
    await b.interrupts.runPending();
    expect(ran).toEqual([]);
    await a.interrupts.runPending();
    expect(ran).toEqual(['a']);
    done();
  });
});
