// Preload used when /usr/bin/time is missing: the child writes its own peak RSS (KiB) on exit.
'use strict';
process.on('exit', () => {
  try {
    require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
  } catch {
    /* best effort */
  }
});
