// Web mode for benchmarks, forked with an IPC channel and --expose-gc: on the message 'memory' it
// collects garbage fully and answers process.memoryUsage() (heap after GC shows a leak; RSS alone
// mostly shows what the allocator keeps).
const { join } = require('node:path');
const root = join(__dirname, '..');
require(join(root, 'dist', 'web.cjs')).main(process.argv.slice(2), root);
process.on('message', (message) => {
  if (message !== 'memory') return;
  global.gc?.();
  global.gc?.();
  process.send?.(process.memoryUsage());
});
