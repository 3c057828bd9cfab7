/** Test helper: the real validation (static + sample checks) of a mapping text against in-memory records, as LSP diagnostics. */
import type { Diagnostic } from 'vscode-languageserver-types';
import { validateMapping } from '../../../src/engine/validate';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toServiceDiagnostic } from '../../../src/service/origin';
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
  // Version 1, like the document of featureContext: quick fixes read the offsets recorded in data.origin.
  const document = TextDocument.create('file:///x', 'scimmap', 1, text);
  return r.diagnostics.map((d) => toServiceDiagnostic(document, d));
}

export function featureContext(text: string, records: Record<string, unknown>[]): FeatureContext {
  return contextOf(text, { sample: records, filePath: FILE, host });
}
