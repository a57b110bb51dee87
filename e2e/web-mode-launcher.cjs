// Starts the bundled web mode (dist/web.cjs, built by e2e/global-setup.ts) with the given flags,
// exactly as `npm run web` does after its build step. The one launcher of the e2e fixtures and the
// benchmarks: forked with an IPC channel (and --expose-gc), it answers the message 'memory' with
// process.memoryUsage() after a full garbage collection (heap after GC shows a leak; RSS alone
// mostly shows what the allocator keeps).
const { join } = require('node:path');
require('../dist/web.cjs').main(process.argv.slice(2), join(__dirname, '..'));
process.on('message', (message) => {
  if (message !== 'memory') return;
  global.gc?.();
  global.gc?.();
  process.send?.(process.memoryUsage());
});
