// Preloaded (`node --require bench/peak-rss.cjs …`) into a process whose peak RSS a bench wants:
// at exit it writes the process's peak resident set size (KiB) to $STEPSTONE_PEAK_RSS_FILE.
const { writeFileSync } = require('node:fs');
const file = process.env.STEPSTONE_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
