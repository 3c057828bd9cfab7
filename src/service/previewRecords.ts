/**
 * Every sample record through the engine's record pipeline (`transformRecords`: the per-record checks plus the
 * checks across records such as duplicate externalIds), so the preview shows exactly the record errors an export
 * or upload would meet. Cached per mapping text and sample version: choosing another record does not re-run it.
 */
import { transformRecords, type TransformResult } from '../engine/pipeline';
import type { ValidationResult } from '../engine/validate';

export interface SampleRun {
  results: TransformResult[];
}

const MAX_SEARCH_CHARS = 4_000;
let last: { key: string; run: SampleRun } | undefined;

/** What makes a run reusable: the mapping text, the sample's version and the attribute types it was checked with. */
function runKey(v: ValidationResult, text: string): string {
  const s = v.sample;
  const types = v.compiled.targets.map((t) => `${t.key}=${JSON.stringify(t.resolved.expected)}${t.resolved.expectedMultiValued ? '[]' : ''}`).join('\u0001');
  return [s?.path ?? '', s?.version ?? '', s?.records.length ?? 0, text, types, v.compiled.targets.length, v.compiled.lets.length].join('\u0000');
}

export async function runSample(v: ValidationResult, text?: string): Promise<SampleRun> {
  const key = text === undefined ? undefined : runKey(v, text);
  if (key !== undefined && last?.key === key) return last.run;
  const records = (v.sample?.records ?? []).map((value, index) => ({ index, value }));
  const results: TransformResult[] = [];
  for await (const r of transformRecords(v.compiled, records)) results.push(r);
  const run = { results };
  if (key !== undefined) last = { key, run };
  return run;
}

/** Lower case without diacritics ("Seán" → "sean"): NFD splits letters from their combining marks, which go. */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Every scalar value of the HR record and of the payload, folded, for the preview's search. */
export function searchText(record: unknown, resource: unknown): string {
  const parts: string[] = [];
  let size = 0;
  const visit = (x: unknown, depth: number): void => {
    if (size > MAX_SEARCH_CHARS || depth > 20 || x === null || x === undefined) return;
    if (typeof x === 'object') {
      for (const v of Array.isArray(x) ? x : Object.values(x as object)) visit(v, depth + 1);
      return;
    }
    const s = String(x);
    if (!s) return;
    parts.push(s);
    size += s.length + 1;
  };
  visit(record, 0);
  if (resource && typeof resource === 'object') {
    for (const [k, v] of Object.entries(resource)) if (k !== 'schemas') visit(v, 1); // every record has the same URNs
  }
  return foldText(parts.join('\n')).slice(0, MAX_SEARCH_CHARS);
}
