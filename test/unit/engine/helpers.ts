import { analyzeMappingText } from '../../../src/engine/analysis';
import type { FileHost } from '../../../src/engine/analysis/host';
import { compileMapping } from '../../../src/engine/transform/compile';
import { transformRecord } from '../../../src/engine/transform/record';

/** A mapping document from a `mappings:` body (indented two spaces) and optional extra top-level YAML. */
export function mappingDoc(mappings: string, extra = '', target = 'entra'): string {
  return `scimmap: 1\ntarget: ${target}\n${extra}mappings:\n${mappings}`;
}

export const memoryHost = (files: Record<string, string> = {}): FileHost => ({
  readText: (p) => files[p],
  exists: (p) => p in files,
});

export async function transformOne(text: string, record: Record<string, unknown>) {
  const analysis = analyzeMappingText(text, { host: memoryHost() });
  const compiled = compileMapping(analysis);
  const result = await transformRecord(compiled, record, 0);
  return { analysis, compiled, result };
}

/** Diagnostics as `code@covered text`, for compact assertions. */
export function diag(text: string, host = memoryHost()) {
  const a = analyzeMappingText(text, { host, filePath: '/m/x.scimmap.yaml' });
  return a.diagnostics.map((d) => ({ code: d.code, severity: d.severity, at: text.slice(d.start, d.end), message: d.message, data: d.data }));
}
