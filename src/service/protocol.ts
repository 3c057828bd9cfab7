/** Messages between the language server and its evaluation worker, and the custom LSP requests of SCIM Mapper. */
import type { EngineDiagnostic, RecordError, ScimResource } from '../engine/types';
import type { RecordValues, SampleSummary } from './context';

export interface PreviewRecordRow {
  index: number;
  key?: string;
  /** displayName, else userName, else the key. */
  label: string;
  status: 'ok' | 'error';
}

export interface PreviewData {
  uri: string;
  name?: string;
  target: 'entra' | 'scim';
  samplePath?: string;
  /** Records read from the sample (capped) and whether the file has more. */
  total: number;
  truncated: boolean;
  summary: { ok: number; failing: number; warnings: number; errors: number };
  records: PreviewRecordRow[];
  selected?: {
    index: number;
    key?: string;
    record: unknown;
    resource: ScimResource;
    errors: RecordError[];
    /** Which mapping key produced each top-level path, for showing errors next to attributes. */
    attributeErrors: Record<string, string>;
  };
  bulk: { size: number; batches: { index: number; operations: number; first?: string; last?: string }[] };
  /** A problem that prevents a preview (no sample, unreadable sample …). */
  message?: string;
}

export type WorkerRequest =
  | { type: 'validate'; id: number; uri: string; version: number; text: string; filePath?: string; recordIndex: number; skip: string[] }
  | { type: 'preview'; id: number; uri: string; version: number; text: string; filePath?: string; recordIndex: number; skip: string[] }
  | { type: 'bulk'; id: number; uri: string; text: string; filePath?: string; skip: string[] }
  | { type: 'forget'; path?: string };

export type WorkerResponse =
  | { type: 'progress'; id: number; key: string }
  | { type: 'validated'; id: number; diagnostics: EngineDiagnostic[]; sample?: SampleSummary; record?: RecordValues; failingRecords?: number }
  | { type: 'preview'; id: number; preview: PreviewData }
  | { type: 'bulk'; id: number; requests: unknown[]; failed: number; source?: string }
  | { type: 'error'; id: number; message: string };

/** Custom LSP requests (client ↔ server). */
export const Requests = {
  preview: 'scimmap/preview',
  exportBulk: 'scimmap/exportBulk',
  selectRecord: 'scimmap/selectRecord',
  validateFiles: 'scimmap/validateFiles',
  scaffold: 'scimmap/scaffold',
} as const;

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
}

/** Notification server → client: health of a mapping for the status bar. */
export const StatusNotification = 'scimmap/status';
export interface StatusParams {
  uri: string;
  errors: number;
  warnings: number;
  failingRecords: number;
  records: number;
}

/**
 * `initializationOptions` the server reads. `workspaceTrusted: false` puts the server in Restricted Mode: static
 * checks only, no sample is read, and files a mapping names are read only inside the workspace folders. Absent
 * (other editors that say nothing): full features.
 */
export interface ServerInitializationOptions {
  workspaceTrusted?: boolean;
}

/** Notification client → server: the user trusted the workspace (VS Code: onDidGrantWorkspaceTrust). */
export const WorkspaceTrustNotification = 'scimmap/workspaceTrust';

export interface WorkspaceTrustParams {
  trusted: boolean;
}
