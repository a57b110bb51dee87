// `npm start`: the desktop app where Electron can run; otherwise one line saying why, then web
// mode (as `npm run web`), printing its URL. Never triggers Electron's binary download.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Why Electron cannot run here, or null when it can. Only looks at files and the environment. */
export function electronUnavailableReason(env = process.env, platform = process.platform) {
  let electronDir;
  try {
    electronDir = dirname(require.resolve('electron/package.json', { paths: [root] }));
  } catch {
    return 'the electron package is not installed';
  }
  // electron's index.js would start a download when path.txt is missing: read it ourselves instead.
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return "Electron's binary is not downloaded (no node_modules/electron/dist)";
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return `Electron's binary ${binary} is missing`;
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  return null;
}

function startDesktop() {
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  // `electron-vite preview` builds main, preload and renderer, then launches Electron on them.
  const child = spawn(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reason = electronUnavailableReason();
  if (reason === null) {
    startDesktop();
  } else {
    process.stderr.write(`Stepstone: the desktop app cannot start here: ${reason}. Serving web mode instead.\n`);
    const { startWebMode } = await import('./web.mjs');
    await startWebMode(process.argv.slice(2));
  }
}
