// `npm run web [-- --port N --db <url> --migrations <dir> --knexfile <file> --env <name> --home <dir>]`:
// builds the renderer if it is missing, bundles web mode (src/web/cli-entry.ts) into dist/web.cjs
// with esbuild, and starts it. The URL with the token is printed on stdout on its own line;
// everything else (build output) goes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleNodeEntry } from './build-cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Bundle web mode; dependencies stay external (resolved from node_modules at run time). */
export async function buildWeb() {
  await bundleNodeEntry('src/web/cli-entry.ts', 'dist/web.cjs');
}

/** The newest modification time of the files under `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build out/renderer with electron-vite when it is missing or older than its sources. */
export function ensureRenderer() {
  const index = join(root, 'out/renderer/index.html');
  if (existsSync(index)) {
    const sources = Math.max(newestMtime(join(root, 'src/renderer')), newestMtime(join(root, 'src/shared')));
    if (statSync(index).mtimeMs >= sources) return;
  }
  process.stderr.write(`Building the app (out/renderer is ${existsSync(index) ? 'older than its sources' : 'missing'})…\n`);
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0) {
    process.stderr.write('Building the app failed; see the messages above.\n');
    process.exit(result.status ?? 1);
  }
}

/** Build what is needed and start web mode with these arguments. */
export async function startWebMode(argv) {
  ensureRenderer();
  await buildWeb();
  const { main } = require(join(root, 'dist/web.cjs'));
  await main(argv, root);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await startWebMode(process.argv.slice(2));
}
