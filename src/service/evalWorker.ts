/**
 * The evaluation worker: runs user expressions on sample data off the server's main thread. The server
 * kills and restarts it when a request makes no progress for a hard time limit (jsonata's own timeout cannot
 * interrupt a backtracking regular expression), so nothing a user types can freeze completion or hover.
 */
import { parentPort } from 'node:worker_threads';
import { ExpressionCache } from '../engine/analysis/expressions';
import { SampleEvaluator } from '../engine/sample/evaluate';
import { DEFAULT_SAMPLE_RECORDS, loadSample, SampleSet, sampleVersion } from '../engine/sample/load';
import { sampleOptions, validateMapping, ValidationResult } from '../engine/validate';
import type { MappingAnalysis } from '../engine/analysis';
import { buildPreview, failingRecords, recordValues, summarizeSample } from './preview';
import { toBulkRequests } from '../engine/pipeline';
import { runSample } from './previewRecords';
import type { WorkerRequest, WorkerResponse } from './protocol';
import { runTestFile } from './mappingTests';
import { compareMappings } from '../review/impact';
import { analyzeMappingText } from '../engine/analysis';
import { nodeFileHost } from '../engine/analysis/host';
import { compileMapping } from '../engine/transform/compile';
import { decide, destinationProblem } from '../engine/checks/preflight';
import { setEvaluationProbe } from '../engine/watchdog';

const SAMPLE_RECORDS = Number(process.env.SCIMMAP_SAMPLE_RECORDS ?? DEFAULT_SAMPLE_RECORDS);
const cache = new ExpressionCache();
const samples = new Map<string, SampleSet>();
const evaluators = new Map<string, SampleEvaluator>();

function post(msg: WorkerResponse): void {
  parentPort!.postMessage(msg);
}

async function getSample(path: string, analysis: MappingAnalysis): Promise<SampleSet> {
  const version = sampleVersion(path) ?? 'missing';
  const opts = sampleOptions(analysis);
  const cacheKey = `${path}\u0000${opts.format ?? ''}\u0000${opts.delimiter ?? ''}\u0000${opts.encoding ?? ''}\u0000${opts.keyField ?? ''}`;
  const hit = samples.get(cacheKey);
  if (hit && hit.version === version) return hit;
  const s = await loadSample(path, { ...opts, limit: SAMPLE_RECORDS });
  samples.set(cacheKey, s);
  evaluators.get(path)?.clear();
  return s;
}

async function validate(req: { id: number; text: string; filePath?: string; skip: string[] }): Promise<ValidationResult> {
  const key = req.filePath ?? '';
  let evaluator = evaluators.get(key);
  if (!evaluator) evaluators.set(key, (evaluator = new SampleEvaluator()));
  return validateMapping(req.text, {
    filePath: req.filePath, cache, evaluator, getSample, skip: new Set(req.skip),
    onTarget: (k) => post({ type: 'progress', id: req.id, key: k }),
  });
}

// Heartbeats for the server's hard time limit (evaluationHost.ts): from the evaluation probe (a synchronous loop
// over records never yields to timers) and from a timer (sample reading awaits I/O). A thread stuck inside one
// evaluation sends neither.
const HEARTBEAT_MS = 250;
let busy: number | undefined;
let lastBeat = 0;
let probes = 0;
function beat(): void {
  const now = Date.now();
  if (busy === undefined || now - lastBeat < HEARTBEAT_MS) return;
  lastBeat = now;
  post({ type: 'heartbeat', id: busy });
}
setEvaluationProbe(() => {
  if ((++probes & 1023) === 0) beat();
});
setInterval(beat, HEARTBEAT_MS).unref();

async function handle(req: WorkerRequest): Promise<void> {
  if (req.type === 'forget') {
    for (const k of [...samples.keys()]) if (!req.path || k.startsWith(req.path)) samples.delete(k);
    return;
  }
  busy = req.id;
  lastBeat = Date.now();
  try {
    const v = await validate(req);
    if (req.type === 'validate') {
      post({
        type: 'validated', id: req.id, diagnostics: v.diagnostics, sample: summarizeSample(v), record: await recordValues(v, req.recordIndex),
        failingRecords: v.sample ? failingRecords(v).size : 0,
        skippedRecords: v.records?.skipped.size ?? 0,
      });
    } else if (req.type === 'preview') {
      post({ type: 'preview', id: req.id, preview: await buildPreview(v, req.uri, req.recordIndex, `${req.text}\u0000${req.skip.join('\u0000')}`) });
    } else if (req.type === 'tests') {
      post({ type: 'tests', id: req.id, result: await runTestFile(v, req.testText, req.testPath, req.names) });
    } else if (req.type === 'impact') {
      // The base version's relative paths resolve from the same folder: same sample, same schema files.
      const base = compileMapping(analyzeMappingText(req.baseText, { filePath: req.filePath, host: nodeFileHost, cache }));
      const records = (v.sample?.records ?? []).map((value, index) => ({ index, value }));
      const impact = await compareMappings(base, v.compiled, records, { examples: 3, keepRecords: 200 });
      post({ type: 'impact', id: req.id, impact, records: records.length, baseErrors: base.analysis.diagnostics.filter((d) => d.severity === 'error').length });
    } else {
      // Export: every sample record, batched exactly as the CLI's `preview --format bulk` does.
      // The preview's run of the same text is reused (clicking a BulkRequest in the preview asks for this).
      let failed = 0;
      const { results } = await runSample(v, `${req.text}\u0000${req.skip.join('\u0000')}`);
      const requests = [];
      for await (const r of toBulkRequests(results, v.compiled.bulkSize, () => failed++, v.compiled.failOnErrors)) requests.push(r);
      // The same send decision as `scimmap upload` (the Send Test Upload command reads it).
      const blocked = v.records ? decide({ dataset: v.records.dataset }).reasons : [];
      post({ type: 'bulk', id: req.id, requests, failed, source: v.sample ? v.analysis.samplePath : undefined, blocked, refused: destinationProblem(v.compiled, 'entra') });
    }
  } catch (e) {
    post({ type: 'error', id: req.id, message: (e as Error)?.message ?? String(e) });
  } finally {
    busy = undefined;
  }
}

// One request at a time, in order: the server drops answers for versions it no longer needs.
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (req: WorkerRequest) => {
  queue = queue.then(() => handle(req));
});
