/**
 * The evaluation worker: runs user expressions on sample data off the server's main thread. The server
 * kills and restarts it when a request runs past a hard time limit (jsonata's own timeout cannot interrupt
 * a backtracking regular expression), so nothing a user types can freeze completion or hover.
 */
import { parentPort } from 'node:worker_threads';
import { ExpressionCache } from '../engine/analysis/expressions';
import { SampleEvaluator } from '../engine/sample/evaluate';
import { loadSample, SampleSet, sampleVersion } from '../engine/sample/load';
import { sampleOptions, validateMapping, ValidationResult } from '../engine/validate';
import type { MappingAnalysis } from '../engine/analysis';
import { buildPreview, failingRecords, recordValues, summarizeSample } from './preview';
import { transformRecord } from '../engine/transform/record';
import { bulkRequest, operationOf } from '../engine/transform/bulk';
import { checkDuplicate } from '../engine/pipeline';
import { IdIndex } from '../engine/transform/idIndex';
import type { WorkerRequest, WorkerResponse } from './protocol';

const SAMPLE_RECORDS = Number(process.env.SCIMMAP_SAMPLE_RECORDS ?? 10_000);
const cache = new ExpressionCache();
const samples = new Map<string, SampleSet>();
const evaluators = new Map<string, SampleEvaluator>();

function post(msg: WorkerResponse): void {
  parentPort!.postMessage(msg);
}

async function getSample(path: string, analysis: MappingAnalysis): Promise<SampleSet> {
  const version = sampleVersion(path) ?? 'missing';
  const opts = sampleOptions(analysis);
  const cacheKey = `${path}\u0000${opts.format ?? ''}\u0000${opts.delimiter ?? ''}\u0000${opts.keyField ?? ''}`;
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

async function handle(req: WorkerRequest): Promise<void> {
  if (req.type === 'forget') {
    for (const k of [...samples.keys()]) if (!req.path || k.startsWith(req.path)) samples.delete(k);
    return;
  }
  try {
    const v = await validate(req);
    if (req.type === 'validate') {
      post({
        type: 'validated', id: req.id, diagnostics: v.diagnostics, sample: summarizeSample(v), record: await recordValues(v, req.recordIndex),
        failingRecords: v.sample ? failingRecords(v).size : 0,
      });
    } else if (req.type === 'preview') {
      post({ type: 'preview', id: req.id, preview: await buildPreview(v, req.uri, req.recordIndex) });
    } else {
      // Export: every sample record, as the CLI's `preview --format bulk` would batch them.
      const ops = [];
      let failed = 0;
      const seen = new IdIndex();
      for (let i = 0; i < (v.sample?.records.length ?? 0); i++) {
        const r = await transformRecord(v.compiled, v.sample!.records[i], i);
        checkDuplicate(r, seen);
        if (r.errors.length) failed++;
        else ops.push(operationOf(r.resource, i));
      }
      const requests = [];
      for (let i = 0; i < ops.length; i += v.compiled.bulkSize) requests.push(bulkRequest(ops.slice(i, i + v.compiled.bulkSize), v.compiled.failOnErrors));
      post({ type: 'bulk', id: req.id, requests, failed });
    }
  } catch (e) {
    post({ type: 'error', id: req.id, message: (e as Error)?.message ?? String(e) });
  }
}

// One request at a time, in order: the server drops answers for versions it no longer needs.
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (req: WorkerRequest) => {
  queue = queue.then(() => handle(req));
});
