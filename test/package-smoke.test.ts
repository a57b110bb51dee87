// Packaging smoke: `electron-builder --dir` for Linux with a stand-in Electron folder (a stub
// executable; nothing is downloaded: every mirror and proxy points at a closed port), then what a
// user's package would hold: the app in app.asar, every module the main bundle loads resolvable
// (and loadable) inside the archive, binaries and WASM unpacked, the demo migrations beside it, no
// dev dependency, and a size budget.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY_META } from '../src/shared/content-security-policy';

const ROOT = join(__dirname, '..');
const require = createRequire(import.meta.url);
const { STAND_IN_MARKER } = require('../scripts/electron-fuses.cjs') as { STAND_IN_MARKER: string };

/**
 * The unpacked app without Electron itself (resources/: app.asar, app.asar.unpacked, demo
 * migrations), measured at 53 MB on 2026-11-30: app.asar 26 MB, app.asar.unpacked 27 MB (esbuild's
 * binary 11 MB, PGlite's WASM, data and extensions 16 MB). The budget leaves room for a new
 * dependency, not for a dev dependency or a second copy of something (esbuild's CLI copy of its
 * binary, 11 MB, is left out on purpose).
 */
const SIZE_BUDGET_MB = 65;
/** The preload forwards two calls; it must stay a few hundred bytes, not a bundle. */
const PRELOAD_BUDGET_BYTES = 4096;
const CLOSED = 'http://127.0.0.1:9';

let work: string;
let resources: string;
let extracted: string;
let builderLog: string;

/** Every file under a folder. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Sum of file sizes under a path. */
function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** Every package folder in the archive, as package-lock.json names it ("node_modules/knex/node_modules/commander"). */
function packageDirs(files: string[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.split('/').filter(Boolean);
    parts.forEach((part, i) => {
      if (part !== 'node_modules' || !parts[i + 1]) return;
      const name = parts[i + 1].startsWith('@') ? parts.slice(i + 1, i + 3) : [parts[i + 1]];
      dirs.add([...parts.slice(0, i + 1), ...name].join('/'));
    });
  }
  return [...dirs];
}

/** The files the archive lists, relative ("/out/main/index.js"). */
let listing: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'stepstone-package-'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'pipe' });

  // The stand-in Electron distribution: one stub executable (marked, so the fuse step skips it).
  const electronDist = join(work, 'electron-dist');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), `#!/bin/sh\n# ${STAND_IN_MARKER}: not Electron, for electron-builder --dir in tests\necho "Stepstone packaging stand-in: not Electron" >&2\nexit 1\n`);
  chmodSync(join(electronDist, 'electron'), 0o755);

  // (Without VITEST in its environment: electron-builder silences its log under vitest.)
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST'))), ELECTRON_MIRROR: `${CLOSED}/`, ELECTRON_BUILDER_BINARIES_MIRROR: `${CLOSED}/`, HTTPS_PROXY: CLOSED, HTTP_PROXY: CLOSED, https_proxy: CLOSED, http_proxy: CLOSED, CSC_IDENTITY_AUTO_DISCOVERY: 'false' };
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/electron-builder/cli.js'), '--dir', '--linux', '--x64', `-c.electronDist=${electronDist}`, `-c.directories.output=${join(work, 'release')}`],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  builderLog = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`electron-builder --dir failed (exit ${result.status}):\n${builderLog}`);
  resources = join(work, 'release', 'linux-unpacked', 'resources');
  listing = listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.replaceAll('\\', '/'));
  extracted = join(work, 'extracted');
  extractAll(join(resources, 'app.asar'), extracted);
  // extractAll copies unpacked files without their mode: give them the mode they have in the package.
  const unpacked = join(resources, 'app.asar.unpacked');
  for (const file of filesUnder(unpacked)) chmodSync(join(extracted, relative(unpacked, file)), statSync(file).mode & 0o777);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('electron-builder --dir with a stand-in Electron', () => {
  it('packs without downloading and skips the fuses of the stand-in, saying so', () => {
    expect(builderLog).toContain('using custom unpacked Electron distribution');
    expect(builderLog).toMatch(/fuses not flipped: .*linux-unpacked\/stepstone is the packaging stand-in, not Electron/);
    expect(builderLog).not.toMatch(/downloading/i);
  });

  it('puts the built app and package.json in resources/app.asar', () => {
    for (const file of ['/package.json', '/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html']) expect(listing).toContain(file);
    expect(listing.some((f) => /^\/out\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    expect(listing.some((f) => /^\/(src|e2e|test|bench|scripts)\//.test(f))).toBe(false);
    expect(listing.some((f) => f.endsWith('.map') || /\.tsx?$/.test(f))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(extracted, 'package.json'), 'utf8')) as { main: string };
    expect(listing).toContain(`/${pkg.main}`);
  });

  it('resolves and loads every module the main bundle requires inside the archive, never outside it', async () => {
    const bundle = join(extracted, 'out', 'main', 'index.js');
    // esbuild lists the bundle's real require()/import() calls (not text in comments or strings).
    const { metafile } = await build({ entryPoints: [bundle], bundle: true, write: false, metafile: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'silent', external: ['electron'] });
    const specifiers = new Set(Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path)));
    const isBuiltin = (s: string) => s.startsWith('node:') || builtinModules.includes(s);
    const modules = [...specifiers].filter((s) => !isBuiltin(s) && s !== 'electron').sort();
    expect(modules).toEqual(expect.arrayContaining(['knex', 'pg', 'zod']));

    // A fresh Node with nothing but the extracted tree: resolve each as Electron would, load it,
    // and list every file that got loaded.
    const probe = join(work, 'probe.mjs');
    writeFileSync(
      probe,
      `import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const require = createRequire(${JSON.stringify(bundle)});
const out = {};
for (const name of ${JSON.stringify(modules)}) {
  try {
    let path;
    try { path = require.resolve(name); } catch { path = import.meta.resolve(name, pathToFileURL(${JSON.stringify(bundle)}).href); }
    if (path.startsWith('file:')) path = new URL(path).pathname;
    try { require(path); } catch (error) { if (error.code !== 'ERR_REQUIRE_ESM') throw error; await import(pathToFileURL(path).href); }
    out[name] = { path };
  } catch (error) { out[name] = { error: String(error.message).split('\\n')[0] }; }
}
// The app transpiles TypeScript migrations with esbuild's API: it must find its binary in the package.
out['(esbuild)'] = require('esbuild').transformSync('const x: number = 1', { loader: 'ts' }).code.trim();
out['(loaded)'] = Object.keys(require.cache);
console.log(JSON.stringify(out));
`,
    );
    const env = { PATH: process.env.PATH ?? '', HOME: work };
    const answer = JSON.parse(execFileSync(process.execPath, ['--experimental-import-meta-resolve', probe], { cwd: work, env, encoding: 'utf8' })) as Record<string, { path?: string; error?: string }> & { '(loaded)': string[]; '(esbuild)': string };
    expect(answer['(esbuild)']).toBe('const x = 1;');
    for (const name of modules) {
      expect(answer[name], name).toEqual({ path: expect.stringMatching(new RegExp(`^${extracted}/node_modules/`)) });
    }
    const outside = answer['(loaded)'].filter((file) => !file.startsWith(`${extracted}/`));
    expect(outside).toEqual([]);
  });

  it('unpacks esbuild’s binary (it runs) and PGlite’s WASM and data files', () => {
    const unpacked = join(resources, 'app.asar.unpacked', 'node_modules');
    const esbuildVersion = (require('esbuild/package.json') as { version: string }).version;
    const binary = join(unpacked, '@esbuild', 'linux-x64', 'bin', 'esbuild');
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    expect(execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()).toBe(esbuildVersion);

    const pglite = join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'dist');
    const assets = readdirSync(pglite).filter((f) => /\.(wasm|data)$/.test(f));
    expect(assets.length).toBeGreaterThan(0);
    for (const file of assets) expect(statSync(join(unpacked, '@electric-sql', 'pglite', 'dist', file)).size, file).toBe(statSync(join(pglite, file)).size);
  });

  it('ships the demo migrations in resources/demo-migrations', () => {
    const sample = readdirSync(join(ROOT, 'migrations')).sort();
    expect(readdirSync(join(resources, 'demo-migrations')).sort()).toEqual(sample);
  });

  it('packs no dev dependency', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
    const packed = packageDirs(listing);
    expect(packed.length).toBeGreaterThan(10);
    const dev = packed.filter((path) => lock.packages[path]?.dev === true);
    expect(dev).toEqual([]);
    const devDependencies = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
    expect(packed.filter((path) => devDependencies.some((name) => path === `node_modules/${name}`))).toEqual([]);
  });

  it(`stays under ${SIZE_BUDGET_MB} MB without Electron, with a tiny preload and the shared CSP in the page`, () => {
    const megabytes = sizeOf(resources) / 1024 / 1024;
    console.log(`package size without Electron: ${megabytes.toFixed(1)} MB (app.asar ${(sizeOf(join(resources, 'app.asar')) / 1048576).toFixed(1)} MB, unpacked ${(sizeOf(join(resources, 'app.asar.unpacked')) / 1048576).toFixed(1)} MB)`);
    expect(megabytes).toBeLessThan(SIZE_BUDGET_MB);

    const preload = readFileSync(join(extracted, 'out', 'preload', 'index.js'), 'utf8');
    expect(preload.length).toBeLessThan(PRELOAD_BUDGET_BYTES);
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);

    const html = readFileSync(join(extracted, 'out', 'renderer', 'index.html'), 'utf8');
    const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1]?.replaceAll('&#39;', "'");
    expect(meta).toBe(CONTENT_SECURITY_POLICY_META);
  });
});
