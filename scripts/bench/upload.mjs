// Figure 5: sustained upload rate against the local Entra stand-in with the real pacing (40 calls per 5 s, on both
// sides), as a fraction of the ceiling 40 × 50 records / 5 s = 400 records/s. With n = 40k + 1 calls the ideal
// schedule puts the last call exactly k windows after the first, so (n − 1) × 50 / (t_last − t_first) is the
// sustained rate and 400 records/s is the ceiling it is compared with.
import { join } from 'node:path';
import { loadTs, summary } from './util.mjs';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const CEILING = (40 * 50) / 5;

function batches(calls) {
  const out = [];
  for (let b = 0; b < calls; b++) {
    const ops = [];
    for (let k = 0; k < 50; k++) {
      const id = `E${String(b * 50 + k).padStart(7, '0')}`;
      ops.push({ method: 'POST', bulkId: `b${id}`, path: '/Users', data: { schemas: [CORE, ENT], externalId: id, userName: `${id.toLowerCase()}@contoso.com`, displayName: `User ${id}`, active: true, [ENT]: { employeeNumber: id } } });
    }
    out.push({ schemas: [BULK], Operations: ops, failOnErrors: null });
  }
  return out;
}

export async function upload({ tmp, calls, runs, log }) {
  const { startStandIn } = await loadTs('src/targets/entra/standin/index.ts', join(tmp, 'build'));
  const { uploadBatches, parseEndpoint, staticTokenProvider } = await loadTs('src/targets/entra/upload/index.ts', join(tmp, 'build'));
  const rates = [];
  const fractions = [];
  const durations = [];
  for (let i = 0; i < runs; i++) {
    const accepted = [];
    const standIn = await startStandIn({ log: (line) => (/^POST .*bulkUpload 202$/.test(line) ? accepted.push(performance.now()) : undefined) });
    try {
      const summaryOut = await uploadBatches(batches(calls), { endpoint: parseEndpoint(standIn.endpointUrl()), tokens: staticTokenProvider(standIn.issueToken()) });
      if (accepted.length !== calls) throw new Error(`upload: ${accepted.length} of ${calls} calls accepted (${summaryOut.stopped?.message ?? 'no stop reason'})`);
      const span = (accepted[accepted.length - 1] - accepted[0]) / 1000;
      const rate = ((calls - 1) * 50) / span;
      rates.push(rate);
      fractions.push(rate / CEILING);
      durations.push(summaryOut.durationMs);
      log(`  upload run ${i + 1}: ${Math.round(rate)} records/s sustained (${((100 * rate) / CEILING).toFixed(1)}% of ${CEILING}), 429s: ${standIn.stats.responses['429'] ?? 0}`);
    } finally {
      await standIn.close();
    }
  }
  return { calls, records: calls * 50, ceiling: CEILING, command: `uploadBatches(${calls} BulkRequests × 50) → startStandIn(), default pacing 40 calls / 5 s`, recordsPerSec: summary(rates), fraction: summary(fractions), durationMs: summary(durations) };
}
