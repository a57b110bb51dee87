/**
 * A knexfile run "in its folder" without `process.chdir`: the knex CLI chdirs to the knexfile's
 * folder before loading it, so knexfiles read `./ca.pem`, call `path.resolve('migrations')`,
 * `process.cwd()` or `require('dotenv').config()` relative to it. A chdir would move the whole
 * process (every other operation of the desktop app or web mode, mid-flight), and worker threads
 * cannot chdir at all. Instead the module itself gets a view of `process`, `path`, `fs` and
 * `dotenv` whose working folder is its own; nothing global changes. Modules it requires through
 * Node keep the real working folder (code bundled into it by esbuild shares its view).
 */
import * as path from 'node:path';

/** `require` for a module scoped to `folder`: built-ins that resolve relative paths see `folder` as the working folder. */
export interface FolderScope {
  folder: string;
  /** The `process` the module sees: the real one, except `cwd()` is `folder`. */
  process: NodeJS.Process;
  /** What `require(id)` gives the module for ids whose meaning depends on the working folder, else undefined. */
  builtin(id: string, realRequire: (id: string) => unknown): unknown;
}

// fs functions whose first argument is a path (the ones a config file plausibly calls).
const FS_PATH_FUNCTIONS = new Set([
  'readFileSync', 'readFile', 'existsSync', 'statSync', 'stat', 'lstatSync', 'lstat', 'readdirSync', 'readdir',
  'accessSync', 'access', 'createReadStream', 'realpathSync', 'realpath', 'openSync', 'open',
]);

/** `fsModule` with relative paths given to its path functions resolved from `folder`. */
function scopedFs<T extends object>(fsModule: T, folder: string): T {
  return new Proxy(fsModule, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === 'promises' && typeof value === 'object' && value !== null) return scopedFs(value, folder);
      if (typeof key !== 'string' || typeof value !== 'function' || !FS_PATH_FUNCTIONS.has(key)) return value;
      return (first: unknown, ...rest: unknown[]) =>
        (value as (...args: unknown[]) => unknown).call(target, typeof first === 'string' ? path.resolve(folder, first) : first, ...rest);
    },
  });
}

/** Build the scope of a module run in `folder`. */
export function folderScope(folder: string): FolderScope {
  const scopedProcess = new Proxy(process, {
    get(target, key) {
      if (key === 'cwd') return () => folder;
      return Reflect.get(target, key) as unknown;
    },
  });
  const scopedPath = {
    ...path,
    resolve: (...segments: string[]) => path.resolve(folder, ...segments),
    relative: (from: string, to: string) => path.relative(path.resolve(folder, from), path.resolve(folder, to)),
  };
  const scoped = new Map<string, unknown>();
  // The real modules come from the module's own require, so the view wraps exactly what it would have had.
  const once = (key: string, make: () => unknown) => (scoped.has(key) ? scoped.get(key) : scoped.set(key, make()).get(key));
  const dotenvOptions = (options?: { path?: unknown }) => ({ ...options, path: options?.path ?? path.join(folder, '.env') });

  return {
    folder,
    process: scopedProcess,
    builtin(id, realRequire) {
      switch (id) {
        case 'process':
        case 'node:process':
          return scopedProcess;
        case 'path':
        case 'node:path':
          return scopedPath;
        case 'fs':
        case 'node:fs':
          return once('fs', () => scopedFs(realRequire('node:fs') as object, folder));
        case 'fs/promises':
        case 'node:fs/promises':
          return once('fs/promises', () => scopedFs(realRequire('node:fs/promises') as object, folder));
        case 'dotenv': {
          // dotenv reads `.env` from process.cwd() by default: the knexfile's folder, as under the knex CLI.
          const dotenv = realRequire('dotenv') as { config(options?: object): unknown };
          return { ...dotenv, config: (options?: { path?: unknown }) => dotenv.config(dotenvOptions(options)) };
        }
        case 'dotenv/config': {
          const dotenv = realRequire('dotenv') as { config(options?: object): unknown };
          dotenv.config(dotenvOptions());
          return {};
        }
        default:
          return undefined;
      }
    },
  };
}

/** Whether the code declares its own `process` (then the module's scope cannot shadow it; it keeps the real one). */
export function declaresProcess(code: string): boolean {
  return /\b(?:const|let|var|function|class)\s+process\b/.test(code);
}
