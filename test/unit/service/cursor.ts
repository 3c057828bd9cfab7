/**
 * Test helper: a mapping text with a `|` cursor marker → FeatureContext + position. A `|` that is a YAML block
 * scalar header (`key: |` or `key: >-` at the end of a line) is left alone; pass another marker when the
 * cursor itself sits right after `key: ` at the end of a line.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import { analyzeMappingText } from '../../../src/engine/analysis';
import type { FileHost } from '../../../src/engine/analysis/host';
import { inferFields } from '../../../src/engine/readers';
import type { FeatureContext, RecordValues, SampleSummary } from '../../../src/service/context';

export interface Options {
  sample?: Record<string, unknown>[];
  record?: RecordValues;
  filePath?: string;
  host?: FileHost;
  marker?: string;
}

export function sampleOf(records: Record<string, unknown>[], path = '/tmp/sample.json'): SampleSummary {
  return {
    path, count: records.length, truncated: false,
    fields: inferFields(records.map((value, index) => ({ index, value }))),
    keys: records.map(() => undefined),
  };
}

export function contextOf(text: string, opts: Omit<Options, 'marker'> = {}): FeatureContext {
  const uri = opts.filePath ? `file://${opts.filePath}` : 'file:///work/test.scimmap.yaml';
  return {
    document: TextDocument.create(uri, 'scimmap', 1, text),
    analysis: analyzeMappingText(text, { filePath: opts.filePath, host: opts.host }),
    sample: opts.sample ? sampleOf(opts.sample) : undefined,
    record: opts.record,
  };
}

/** Offset of the cursor marker; throws when there is none. */
export function markerOffset(text: string, marker = '|'): number {
  if (marker !== '|') {
    const i = text.indexOf(marker);
    if (i < 0) throw new Error('no cursor marker');
    return i;
  }
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '|') continue;
    const header = /: $/.test(text.slice(Math.max(0, i - 2), i)) && /^[-+0-9]*(\r?\n|$)/.test(text.slice(i + 1));
    if (!header) return i;
  }
  throw new Error('no cursor marker');
}

export function at(textWithCursor: string, opts: Options = {}): { ctx: FeatureContext; position: Position; offset: number; text: string } {
  const marker = opts.marker ?? '|';
  const offset = markerOffset(textWithCursor, marker);
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + marker.length);
  const ctx = contextOf(text, opts);
  return { ctx, position: ctx.document.positionAt(offset), offset, text };
}

/** Applies LSP text edits (of one document) to a text. */
export function applyTextEdits(text: string, edits: { range: { start: Position; end: Position }; newText: string }[]): string {
  const doc = TextDocument.create('file:///x', 'scimmap', 0, text);
  return TextDocument.applyEdits(doc, edits);
}

export const HEAD = 'scimmap: 1\ntarget: entra\n';

export const PEOPLE: Record<string, unknown>[] = [
  { WorkerID: 'W100', Email: 'ana.silva@contoso.com', FirstName: 'Ana', LastName: 'Silva', Status: 'Active', HireDate: '2020-03-16', Personal: { Legal_Name: { First_Name: 'Ana', Last_Name: 'Silva' }, Nick: 'Annie' }, Phones: [{ Type: 'work', Number: '+1 555 0100' }], 'Cost Center': 'CC-1' },
  { WorkerID: 'W101', Email: 'bo.li@contoso.com', FirstName: 'Bo', LastName: 'Li', Status: 'Terminated', HireDate: '2019-01-02', Personal: { Legal_Name: { First_Name: 'Bo', Last_Name: 'Li' } }, Phones: [], 'Cost Center': '' },
  { WorkerID: 'W102', Email: '', FirstName: 'Cy', LastName: 'Ng', Status: 'Active', HireDate: '2021-07-30', Personal: { Legal_Name: { First_Name: 'Cy', Last_Name: 'Ng' } }, Phones: [{ Type: 'mobile', Number: '+1 555 0102' }], 'Cost Center': 'CC-2' },
];
