/** Test helper: the real validation (static + sample checks) of a mapping text against in-memory records, as LSP diagnostics. */
import type { Diagnostic } from 'vscode-languageserver-types';
import { validateMapping } from '../../../src/engine/validate';
import { positionSource, toLspDiagnostic } from '../../../src/engine/positions';
import { inferFields } from '../../../src/engine/readers';
import type { FileHost } from '../../../src/engine/analysis/host';
import type { FeatureContext } from '../../../src/service/context';
import { contextOf } from './cursor';

export const FILE = '/virtual/hr/test.scimmap.yaml';
const host: FileHost = { readText: () => undefined, exists: () => true };

export async function validate(text: string, records: Record<string, unknown>[]): Promise<Diagnostic[]> {
  const r = await validateMapping(text, {
    filePath: FILE, host,
    getSample: async (path) => ({
      path, version: '1', records, keys: records.map(() => undefined), truncated: false, warnings: [],
      fields: inferFields(records.map((value, index) => ({ index, value }))),
    }),
  });
  const pos = positionSource(text);
  return r.diagnostics.map((d) => toLspDiagnostic(pos, d));
}

export function featureContext(text: string, records: Record<string, unknown>[]): FeatureContext {
  return contextOf(text, { sample: records, filePath: FILE, host });
}
