/**
 * Streaming readers for HR source files (CSV, JSON array, JSONL). Pure node library.
 * Memory stays bounded by one read chunk plus the record being assembled (capped: 1 MiB CSV, 16 MiB JSON/JSONL).
 */
export { openRecords } from './open';
export { ReaderError, formatWarning } from './errors';
export { detectFormat } from './format';
export { decodeBytes, decodeStream, encodingName, type DecodeOptions } from './decode';
export { detectDelimiter, CSV_DELIMITERS } from './csv';
export { MAX_JSON_DEPTH, MAX_JSON_RECORD_CHARS } from './json';
export { inferFields, fieldPath, type FieldInfo, type JsonType } from './infer';
export { readSample, DEFAULT_SAMPLE_LIMIT, SAMPLE_BYTE_BUDGET, type ReadSampleOptions, type SampleResult } from './sample';
export type { OpenRecordsOptions, ReaderWarning, RecordStream, SourceFormat, SourceRecord } from './types';
