// Type-checks generated TypeScript migrations with the project's TypeScript (5.9, its compiler API)
// against Knex's own types, as a user's `tsc --noEmit` would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const KNEX = resolve(__dirname, '../../../node_modules/knex');

/** Compiler diagnostics for the given files (name → text), empty when they type-check. */
export function typecheckMigrations(files: Record<string, string>): string[] {
  const folder = mkdtempSync(join(tmpdir(), 'stepstone-typecheck-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      const path = join(folder, name);
      writeFileSync(path, text);
      return path;
    });
    const program = ts.createProgram(paths, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      types: [],
      baseUrl: folder,
      paths: { knex: [join(KNEX, 'types', 'index.d.ts')] },
      noUnusedLocals: true,
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(folder.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
