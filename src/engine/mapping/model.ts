/** The mapping file model: every key, value and expression keeps its place in the document text. */
import type { EngineDiagnostic } from '../types';
import type { OffsetMap } from './scalarMap';
import type { SourceFromSection } from './sourceFromModel';

export interface Span {
  start: number;
  end: number;
}

export interface Located<T> extends Span {
  value: T;
}

/** A JSONata expression as written in the document (the YAML-decoded value plus its offset map). */
export interface ExpressionSource extends Span {
  text: string;
  map: OffsetMap;
}

export type Target = 'entra' | 'scim';
export const TARGETS: readonly Target[] = ['entra', 'scim'];
export type SourceFormat = 'csv' | 'json' | 'jsonl';
export const SOURCE_FORMATS: readonly SourceFormat[] = ['csv', 'json', 'jsonl'];

export interface SourceSection extends Span {
  sample?: Located<string>;
  key?: Located<string>;
  format?: Located<SourceFormat>;
  delimiter?: Located<string>;
  /** A WHATWG encoding label for a sample without a BOM (default UTF-8). */
  encoding?: Located<string>;
  /** An HR system to read records from (docs/sources.md); `sample` is then its local snapshot. */
  from?: SourceFromSection;
  /** Which of several records with the same externalId is sent (default `error`: none of the later ones). */
  duplicates?: Located<DuplicatePolicy>;
}

export type DuplicatePolicy = 'error' | 'first' | 'last';
export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ['error', 'first', 'last'];
export type InvalidPolicy = 'fail-record' | 'drop-attribute';
export const INVALID_POLICIES: readonly InvalidPolicy[] = ['fail-record', 'drop-attribute'];

/** `onInvalid`: what an invalid value does to its record, by default and per mapping key. */
export interface OnInvalidSection extends Span {
  default?: Located<InvalidPolicy>;
  /** Mapping keys listed under `fail-record:` or `drop-attribute:` (exceptions to the default). */
  exceptions: { key: Located<string>; policy: InvalidPolicy }[];
}

/** `clear`: mapping keys whose empty HR value is sent as an explicit null or "" (Entra clears the attribute). */
export interface ClearEntry {
  key: Located<string>;
  value: Located<null | ''>;
}

/** `checks`: thresholds of the dataset-level checks. */
export interface ChecksSection extends Span {
  /** Share of records with active false above which a warning says how many accounts would be disabled. */
  inactiveThreshold?: Located<number>;
}

export interface ExtensionAttributeDecl {
  name: Located<string>;
  type: Located<string>;
}

export interface ExtensionDecl {
  urn: Located<string>;
  /** `inline`: name → type map; `file`: a path to an RFC 7643 §7 schema JSON file. */
  kind: 'inline' | 'file';
  attributes: ExtensionAttributeDecl[];
  file?: Located<string>;
}

export interface LetBinding {
  name: Located<string>;
  expression: ExpressionSource;
}

export type MappingValue =
  | { kind: 'expression'; expression: ExpressionSource }
  | { kind: 'constant'; value: boolean | number; span: Span }
  | { kind: 'empty'; span: Span };

export interface MappingEntry {
  key: Located<string>;
  /** Offsets inside the key text → document offsets (keys may be quoted). */
  keyMap: OffsetMap;
  value: MappingValue;
}

export interface BulkSection extends Span {
  size?: Located<number>;
  failOnErrors?: Located<number | null>;
}

/** How `scimmap sync` treats records that were sent before and are absent from this export. */
export interface SyncSection extends Span {
  missing?: Located<'disable' | 'ignore'>;
}

export interface MappingDocument {
  text: string;
  version?: Located<unknown>;
  name?: Located<string>;
  source?: SourceSection;
  target?: Located<string>;
  /** Path of the provisioning app's saved synchronizationSchema (`scimmap app pull`), relative to the mapping. */
  app?: Located<string>;
  /** Path of the SCIM server's saved discovery (`scimmap server pull`), relative to the mapping (`target: scim`). */
  server?: Located<string>;
  bulk?: BulkSection;
  sync?: SyncSection;
  extensions: ExtensionDecl[];
  lets: LetBinding[];
  mappings: MappingEntry[];
  /** The tenant's verified domains (`domains:`): a userName outside them is a record error (entra). */
  domains?: Located<string>[];
  domainsKey?: Span;
  onInvalid?: OnInvalidSection;
  clear: ClearEntry[];
  checks?: ChecksSection;
  /** Span of the `mappings:` key, for document-level diagnostics (missing-required …). */
  mappingsKey?: Span;
  /** yaml-syntax and mapping-structure problems found while reading the document. */
  diagnostics: EngineDiagnostic[];
}

/** Effective target: `entra` unless the document says otherwise (a bad value is reported, not guessed). */
export function targetOf(doc: MappingDocument): Target {
  return doc.target?.value === 'scim' ? 'scim' : 'entra';
}
