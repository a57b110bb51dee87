/**
 * Loads a user's file (migration or knexfile) at run time with no build step and no global
 * require hooks: TypeScript and ESM are turned into CommonJS by esbuild and compiled as a
 * module rooted in the file's own folder, so `require('knex')` resolves from the user's project.
 */
import Module from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StepstoneError, messageOf } from '../errors';
import { type FolderScope, declaresProcess } from './folder-scope';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
// Cheap test for ESM syntax at the start of a line; a false positive only costs a transform.
const ESM_SYNTAX = /^\s*(import\s|import\{|export\s|export\{|export\s*\*)/m;
// Relative imports of other source files: bundle those so local TS helpers load too.
const RELATIVE_IMPORT = /(from\s+|require\(\s*|import\(\s*)['"]\.\.?\//;

type EsbuildModule = typeof import('esbuild');
let esbuild: EsbuildModule | undefined;
async function loadEsbuild(): Promise<EsbuildModule> {
  esbuild ??= await import('esbuild');
  return esbuild;
}

interface InternalModule {
  filename: string;
  paths: string[];
  exports: unknown;
  require(id: string): unknown;
  stepstoneProcess?: NodeJS.Process;
  _compile(code: string, filename: string): void;
}
const ModuleCtor = Module as unknown as {
  new (id: string): InternalModule;
  prototype: InternalModule;
  _nodeModulePaths(dir: string): string[];
};

// After the project's own node_modules, Stepstone's: a folder opened without `npm install` can still `require('knex')`.
const stepstoneModulePaths = ModuleCtor._nodeModulePaths(typeof __dirname === 'string' ? __dirname : process.cwd());

function compileCommonJs(code: string, path: string, scope: FolderScope | undefined): unknown {
  const mod = new ModuleCtor(path);
  mod.filename = path;
  mod.paths = [...ModuleCtor._nodeModulePaths(dirname(path)), ...stepstoneModulePaths];
  let compiled = code;
  if (scope) {
    const realRequire = (id: string) => ModuleCtor.prototype.require.call(mod, id);
    mod.require = (id: string) => scope.builtin(id, realRequire) ?? realRequire(id);
    if (!declaresProcess(code)) {
      // The module's free `process` is its scope's (same line: line numbers stay those of the file).
      mod.stepstoneProcess = scope.process;
      compiled = `(function (process) {${code}\n}).call(this, module.stepstoneProcess);`;
    }
  }
  mod._compile(compiled, path);
  return mod.exports;
}

// ESM files may use import.meta.url (e.g. to find files beside them); CommonJS has __filename instead.
const IMPORT_META = { define: { 'import.meta.url': '__stepstoneImportMetaUrl' }, banner: "var __stepstoneImportMetaUrl = require('url').pathToFileURL(__filename).href;" };

async function toCommonJs(path: string, source: string, ext: string): Promise<string> {
  const { transform, build } = await loadEsbuild();
  const loader = TYPESCRIPT.has(ext) ? (ext === '.tsx' ? 'tsx' : 'ts') : 'js';
  if (RELATIVE_IMPORT.test(source)) {
    const result = await build({
      stdin: { contents: source, loader, resolveDir: dirname(path), sourcefile: path },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      define: IMPORT_META.define,
      banner: { js: IMPORT_META.banner },
      sourcemap: 'inline',
      logLevel: 'silent',
    });
    return result.outputFiles[0].text;
  }
  const result = await transform(source, { loader, format: 'cjs', target: 'node20', sourcefile: path, sourcemap: 'inline', ...IMPORT_META });
  return result.code;
}

/**
 * Evaluate a user file and return its exports; `source` lets callers reuse bytes they already read.
 * With `scope` the file runs as if its working folder were `scope.folder` (see folder-scope.ts).
 */
export async function loadUserModule(path: string, source?: string, scope?: FolderScope): Promise<Record<string, unknown>> {
  const text = source ?? (await readFile(path, 'utf8'));
  const ext = extname(path).toLowerCase();
  const needsTransform = TYPESCRIPT.has(ext) || ext === '.mjs' || ESM_SYNTAX.test(text);
  try {
    if (!needsTransform) return compileCommonJs(text, path, scope) as Record<string, unknown>;
    let code: string;
    try {
      code = await toCommonJs(path, text, ext);
    } catch (error) {
      // Top-level await cannot become CommonJS: let Node import real ESM files itself.
      if (!TYPESCRIPT.has(ext) && /top-level await/i.test(messageOf(error))) {
        return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      }
      throw error;
    }
    return compileCommonJs(code, path, scope) as Record<string, unknown>;
  } catch (error) {
    throw new StepstoneError('MIGRATION_LOAD_FAILED', `Could not load ${path}: ${firstLine(messageOf(error))}`, {
      hint: 'Fix the syntax or import error in that file, then try again.',
      cause: error,
    });
  }
}

function firstLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(0, 3).join(' ').slice(0, 400);
}

/** The module's default export when it only has one (ESM `export default {...}` seen through CJS interop). */
export function unwrapDefault(exports: Record<string, unknown>): Record<string, unknown> {
  const def = exports.default;
  if (def && typeof def === 'object' && Object.keys(exports).every((k) => k === 'default' || k === '__esModule')) {
    return def as Record<string, unknown>;
  }
  return exports;
}
