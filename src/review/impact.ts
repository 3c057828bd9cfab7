/**
 * The impact of a mapping change: both versions run on the same records (one read of the input) and every
 * record's two resources are compared attribute by attribute. Memory is bounded: counts per attribute, a few
 * examples each, and at most `keepRecords` whole before/after pairs for the editor's side-by-side view.
 */
import { transformRecords, TransformResult } from '../engine/pipeline';
import type { SourceRecord } from '../engine/readers';
import type { CompiledMapping } from '../engine/transform/compile';
import type { ScimResource } from '../engine/types';
import { AttributeChange, diffResources } from './resourceDiff';

export interface ImpactExample { record: string; before: unknown; after: unknown }
export interface FailureExample { record: string; errors: string[] }

export interface Impact {
  records: number;
  /** Records whose resource differs (failing or not). */
  changedRecords: number;
  /** Target path → records whose value there changed, with a few examples. Only changed paths appear. */
  attributes: Record<string, { changed: number; examples: ImpactExample[] }>;
  startFailing: { count: number; examples: FailureExample[] };
  stopFailing: { count: number; examples: FailureExample[] };
  /** The first changed records whole (for a side-by-side view). */
  changed: Array<{ index: number; key?: string; before: ScimResource; after: ScimResource; beforeErrors: string[]; afterErrors: string[]; changes: AttributeChange[] }>;
}

export interface ImpactOptions {
  /** Examples per attribute and per failure class (default 3). */
  examples?: number;
  /** Whole changed records kept (default 0). */
  keepRecords?: number;
  signal?: AbortSignal;
}

/**
 * Drives `transformRecords` one record at a time, so each version keeps its own stream state (duplicate checks)
 * while the input is read once.
 */
function stepper(m: CompiledMapping) {
  let current: SourceRecord | undefined;
  const source: Iterable<SourceRecord> = { *[Symbol.iterator]() { for (;;) yield current!; } };
  const it = transformRecords(m, source)[Symbol.asyncIterator]();
  return {
    async run(rec: SourceRecord): Promise<TransformResult> {
      current = rec;
      const r = await it.next();
      if (r.done) throw new Error('the transform stream ended early');
      return r.value;
    },
    close: () => void it.return?.(undefined),
  };
}

const label = (r: TransformResult) => `record ${r.index + 1}${r.key ? ` (${r.key})` : ''}`;
const codes = (r: TransformResult) => r.errors.map((e) => `${e.code}${e.attribute ? ` at ${e.attribute}` : ''}`);

export async function compareMappings(base: CompiledMapping, head: CompiledMapping, records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>, opts: ImpactOptions = {}): Promise<Impact> {
  const max = opts.examples ?? 3;
  const keep = opts.keepRecords ?? 0;
  const out: Impact = { records: 0, changedRecords: 0, attributes: {}, startFailing: { count: 0, examples: [] }, stopFailing: { count: 0, examples: [] }, changed: [] };
  const a = stepper(base);
  const b = stepper(head);
  try {
    for await (const rec of records) {
      if (opts.signal?.aborted) break;
      out.records++;
      const before = await a.run(rec);
      const after = await b.run(rec);
      const failedBefore = before.errors.length > 0;
      const failedAfter = after.errors.length > 0;
      if (!failedBefore && failedAfter) {
        out.startFailing.count++;
        if (out.startFailing.examples.length < max) out.startFailing.examples.push({ record: label(after), errors: codes(after) });
      } else if (failedBefore && !failedAfter) {
        out.stopFailing.count++;
        if (out.stopFailing.examples.length < max) out.stopFailing.examples.push({ record: label(after), errors: codes(before) });
      }
      const changes = diffResources(before.resource, after.resource);
      if (!changes.length) continue;
      out.changedRecords++;
      for (const c of changes) {
        const slot = (out.attributes[c.path] ??= { changed: 0, examples: [] });
        slot.changed++;
        if (slot.examples.length < max) slot.examples.push({ record: label(after), before: c.before, after: c.after });
      }
      if (out.changed.length < keep) {
        out.changed.push({ index: rec.index, key: after.key, before: before.resource, after: after.resource, beforeErrors: codes(before), afterErrors: codes(after), changes });
      }
    }
  } finally {
    a.close();
    b.close();
  }
  return out;
}
