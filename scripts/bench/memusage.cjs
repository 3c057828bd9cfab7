// Preload for the memory figure's breakdown run: samples process.memoryUsage() every 10 ms and writes the maxima
// (bytes) as JSON to BENCH_MU_FILE on exit — V8 heap vs ArrayBuffers (the externalId index lives in one) vs RSS.
'use strict';
const max = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  for (const k of Object.keys(max)) if (m[k] > max[k]) max[k] = m[k];
};
setInterval(sample, 10).unref();
process.on('exit', () => {
  sample();
  try {
    require('node:fs').writeFileSync(process.env.BENCH_MU_FILE, JSON.stringify({ ...max, maxRSS: process.resourceUsage().maxRSS * 1024 }));
  } catch {
    /* best effort */
  }
});
