/** Shared value types of the engine. Pure: no vscode, no LSP transport. */

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * A problem found in a mapping document. Offsets are 0-based UTF-16 offsets into the document text
 * (the LSP adapter turns them into line/character ranges).
 */
export interface EngineDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  /** Machine-readable extras for quick fixes (e.g. `{ candidates: string[] }`). */
  data?: unknown;
  /**
   * What an error is about beyond the text: `record` — some sample records would not be sent (`scimmap validate
   * --allow-record-errors` lets these pass); `dataset` — every record is wrong (blocks uploads unless forced).
   */
  scope?: 'record' | 'dataset';
}

/** A SCIM resource as JSON. */
export type ScimResource = Record<string, unknown>;

export interface BulkOperation {
  method: 'POST';
  bulkId: string;
  path: '/Users';
  data: ScimResource;
}

export interface BulkRequest {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'];
  Operations: BulkOperation[];
  /** Entra: always null. SCIM: omitted (no limit) unless the mapping sets it. */
  failOnErrors?: number | null;
}

/** A problem with one record during transformation. */
export interface RecordError {
  /** 0-based index of the record in the input. */
  index: number;
  /** Value of `source.key` for this record, when the mapping names one. */
  key?: string;
  /** Target attribute path as written in the mapping (e.g. `emails[type eq "work"].value`). */
  attribute?: string;
  code: string;
  message: string;
}

export const CORE_USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
