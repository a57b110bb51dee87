// `npm run bench [name…]`: runs the benchmarks, each printing its ratio against a reference measured
// in the same run (the knex CLI, pg_dump, pg_restore, headless Chromium's first paint).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benches = {
  engine: ['bench/engine.mjs'],
  introspect: ['bench/introspect.ts'],
  backup: ['bench/backup.ts'],
  timeline: ['bench/timeline.mjs'],
};
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(benches);
let failed = 0;
for (const name of chosen) {
  const [file] = benches[name] ?? [];
  if (!file || !existsSync(join(root, file))) {
    console.error(`No benchmark named ${name} (have: ${Object.keys(benches).join(', ')}).`);
    failed++;
    continue;
  }
  console.log(`\n== ${name} ==`);
  const args = file.endsWith('.ts') ? [join(root, 'node_modules/tsx/dist/cli.mjs'), file] : [file];
  const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
