// Before the browser tests: build the renderer (out/renderer) and bundle web mode (dist/web.cjs)
// from the current sources, so the tests never run a stale build. Both take about a second.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

function run(args: string[], what: string): void {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
}

export default function globalSetup(): void {
  run([join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], 'Building the renderer (electron-vite build)');
  // scripts/web.mjs exports the same esbuild step `npm run web` uses.
  run(['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(root, 'scripts/web.mjs'))}); await m.buildWeb();`], 'Bundling web mode (dist/web.cjs)');
}
