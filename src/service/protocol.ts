/** Messages between the language server and its evaluation worker, and the custom LSP requests of SCIM Mapper. */
import type { EngineDiagnostic, RecordError, ScimResource } from '../engine/types';
import type { RecordValues, SampleSummary } from './context';
import type { Impact } from '../review/impact';

export type { Impact } from '../review/impact';

export interface PreviewRecordRow {
  index: number;
  key?: string;
  /** displayName, else userName, else the key. */
  label: string;
  /** error: not sent; skipped: another record with its externalId wins (source.duplicates: first|last). */
  status: 'ok' | 'error' | 'skipped';
  /** The record's errors (code and mapping key), for the failing filter and the jump from a diagnostic. */
  errors?: { code: string; attribute?: string }[];
  /** Why a skipped record is left out of uploads (e.g. code duplicate-skipped, "… was already sent with record 1"). */
  skipped?: { code: string; message: string };
  /** The bulkId (externalId) an upload sends the record under; absent when the record fails. */
  bulkId?: string;
  /** Every value of the HR record and the payload, lower case without diacritics, for the search. */
  text?: string;
}

import type { EntraColumn } from './entraPreview';

export interface PreviewData {
  uri: string;
  name?: string;
  target: 'entra' | 'scim';
  samplePath?: string;
  /** Records read from the sample (capped) and whether the file has more. */
  total: number;
  truncated: boolean;
  summary: { ok: number; failing: number; /** left out without an error (source.duplicates: first|last) */ skipped: number; warnings: number; errors: number; /** failing records per error code */ codes?: Record<string, number> };
  records: PreviewRecordRow[];
  selected?: {
    index: number;
    key?: string;
    record: unknown;
    resource: ScimResource;
    errors: RecordError[];
    /** Findings that do not stop the record (value standards, attributes dropped by onInvalid). */
    warnings: RecordError[];
    /** Set when a duplicate of this record is sent instead. */
    skipped?: RecordError;
    /** Mapping key → its errors on this record ("code: message", several joined by "; "), for showing them next to attributes. */
    attributeErrors: Record<string, string>;
    /** The Entra user the provisioning app's mappings compute (when the mapping names an app schema). */
    entra?: EntraColumn;
  };
  bulk: { size: number; batches: { index: number; operations: number; first?: string; last?: string }[] };
  /** A problem that prevents a preview (no sample, unreadable sample …). */
  message?: string;
}

export type WorkerRequest =
  | { type: 'validate'; id: number; uri: string; version: number; text: string; filePath?: string; recordIndex: number; skip: string[] }
  | { type: 'preview'; id: number; uri: string; version: number; text: string; filePath?: string; recordIndex: number; skip: string[] }
  | { type: 'bulk'; id: number; uri: string; text: string; filePath?: string; skip: string[] }
  | { type: 'tests'; id: number; uri: string; text: string; filePath?: string; skip: string[]; testText: string; testPath: string; names?: string[] }
  | { type: 'impact'; id: number; uri: string; text: string; filePath?: string; skip: string[]; baseText: string }
  | { type: 'forget'; path?: string };

export type WorkerResponse =
  | { type: 'progress'; id: number; key: string }
  /** The worker is still making progress on request `id` (the hard time limit counts from the last one). */
  | { type: 'heartbeat'; id: number }
  | { type: 'validated'; id: number; diagnostics: EngineDiagnostic[]; sample?: SampleSummary; record?: RecordValues; failingRecords?: number; skippedRecords?: number }
  | { type: 'preview'; id: number; preview: PreviewData }
  | { type: 'bulk'; id: number; requests: unknown[]; failed: number; source?: string; blocked: string[]; refused?: string }
  | { type: 'tests'; id: number; result: RunTestsResult }
  | { type: 'impact'; id: number; impact: Impact; records: number; baseErrors: number }
  | { type: 'error'; id: number; message: string };

/** Custom LSP requests (client ↔ server). */
export const Requests = {
  preview: 'scimmap/preview',
  exportBulk: 'scimmap/exportBulk',
  selectRecord: 'scimmap/selectRecord',
  validateFiles: 'scimmap/validateFiles',
  scaffold: 'scimmap/scaffold',
  importCsv2Scim: 'scimmap/importCsv2Scim',
  testCases: 'scimmap/testCases',
  runTests: 'scimmap/runTests',
  createTest: 'scimmap/createTest',
  impact: 'scimmap/impact',
} as const;

/** Mapping tests: the cases of a test file (static: no evaluation). */
export interface TestCasesParams { uri: string }
export interface TestCasesResult {
  /** The mapping the cases test (file URI). */
  mappingUri: string;
  cases: { name: string; index: number; line: number }[];
  problems: { message: string; line: number }[];
}

export interface RunTestsParams { uri: string; names?: string[] }
export interface CaseOutcome {
  name: string;
  index: number;
  line: number;
  status: 'passed' | 'failed' | 'error';
  record: string;
  /** One line per difference (attribute: expected …, got …). */
  lines: string[];
  /** JSON of the expectation and of what the mapping produced, for a diff view. */
  expected?: string;
  actual?: string;
}
export interface RunTestsResult {
  mappingUri: string;
  cases: CaseOutcome[];
  /** Problems of the test file or the mapping that keep cases from running. */
  problems: string[];
}

/** Create Test from Record: the server appends a case for the preview's record to the mapping's test file. */
export interface CreateTestParams { uri: string; recordIndex: number }
export interface CreateTestResult { testUri: string; text: string; name: string; line: number }

/** Compare Preview with…: the mapping against a base version's text, on the sample. */
export interface ImpactParams { uri: string; baseText: string }
export interface ImpactResult { impact: Impact; records: number; baseErrors: number }

/** Import CSV2SCIM Mapping: the server translates an AttributeMapping.psd1; the client writes the result. */
export interface ImportCsv2ScimParams {
  psd1Path: string;
  csvPath?: string;
  /** Where the client will write the mapping (source.sample is relative to it). */
  outPath: string;
}

export interface ImportCsv2ScimResult {
  /** Undefined when the .psd1 has a syntax error. */
  text?: string;
  mapped: number;
  todo: number;
  /** 1-based places in the .psd1. */
  diagnostics: { severity: string; code: string; message: string; line: number; column: number }[];
  /** A file could not be read (message for the user). */
  error?: string;
}

/** New Mapping from Sample: the server reads the sample's fields and drafts a mapping for it. */
export interface ScaffoldParams {
  /** Absolute path of a CSV/TSV/JSON/JSONL sample. */
  path: string;
}

export interface ScaffoldResult {
  /** The mapping file's text (source.sample is the sample's file name: write it next to the sample). */
  text: string;
  /** Target attribute → the field (or expression) mapped to it. */
  mapped: { target: string; source: string }[];
  /** Sample fields that were not mapped. */
  unmapped: string[];
}

export interface PreviewParams {
  uri: string;
  recordIndex?: number;
}

export interface SelectRecordParams {
  uri: string;
  /** null: inline values off. */
  recordIndex: number | null;
}

export interface ExportBulkParams {
  uri: string;
}

export interface ExportBulkResult {
  requests: unknown[];
  failed: number;
  /** Absolute path of the sample file the records were read from (the upload confirmation names it). */
  source?: string;
  /** Dataset errors over the sample (e.g. active false on every record): an upload sends nothing unless forced. */
  blocked?: string[];
  /** Why these requests must not go to Entra at all (a `target: scim` mapping). */
  refused?: string;
}

/** Notification server → client: health of a mapping for the status bar. */
export const StatusNotification = 'scimmap/status';
export interface StatusParams {
  uri: string;
  errors: number;
  warnings: number;
  failingRecords: number;
  /** Sample records left out without an error (source.duplicates: first|last): not sent, and not "ok" either. */
  skippedRecords?: number;
  records: number;
}

/**
 * `initializationOptions` the server reads. `workspaceTrusted: false` puts the server in Restricted Mode: static
 * checks only, no sample is read, and files a mapping names are read only inside the workspace folders. Absent
 * (other editors that say nothing): full features.
 */
export interface ServerInitializationOptions {
  workspaceTrusted?: boolean;
  /** `push`: publish diagnostics even when the client could pull them (src/lsp/clientSupport.ts). */
  diagnostics?: 'push';
}

/** Notification client → server: the user trusted the workspace (VS Code: onDidGrantWorkspaceTrust). */
export const WorkspaceTrustNotification = 'scimmap/workspaceTrust';

export interface WorkspaceTrustParams {
  trusted: boolean;
}
