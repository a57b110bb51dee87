// Starts the bundled web mode (dist/web.cjs, built by e2e/global-setup.ts) with the given flags,
// exactly as `npm run web` does after its build step.
const { join } = require('node:path');
require('../dist/web.cjs').main(process.argv.slice(2), join(__dirname, '..'));
