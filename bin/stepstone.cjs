#!/usr/bin/env node
// Entry point of `npx stepstone`: runs the bundled CLI, building it first if this checkout has none.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundle = join(__dirname, '..', 'dist', 'cli.cjs');
if (existsSync(bundle)) {
  require(bundle).main(process.argv.slice(2));
} else {
  import('../scripts/build-cli.mjs')
    .then((m) => m.buildCli())
    .then(() => require(bundle).main(process.argv.slice(2)))
    .catch((error) => {
      process.stderr.write(`stepstone: could not build the CLI: ${error.message}\n`);
      process.exitCode = 1;
    });
}
