// Bundles the CLI (src/cli) into dist/cli.cjs with esbuild. Dependencies stay external and
// are required lazily by the commands that need them, so start-up stays lean.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundle a Node entry point (CLI, web mode) into dist/ as CommonJS, dependencies external. */
export async function bundleNodeEntry(entry, outfile) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

export async function buildCli() {
  await bundleNodeEntry('src/cli/main.ts', 'dist/cli.cjs');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
}
