/** What every connector gets and gives: the same SourceRecord stream the file readers produce. */
import type { SourceRecord } from '../engine/readers';
import type { HttpOptions } from './http';
import type { SecretLookup } from './secrets';

export interface SourceProgress {
  pages: number;
  records: number;
}

export interface OpenSourceOptions {
  secrets: SecretLookup;
  signal?: AbortSignal;
  /** After each page (HTTP) or batch of rows (SQL). */
  onPage?: (p: SourceProgress) => void;
  onRetry?: HttpOptions['onRetry'];
  /** Tests: shorter backoff, another fetch. */
  backoffMs?: number;
  fetchImpl?: typeof fetch;
  /** SQL tests: a driver module instead of the installed one. */
  sqlDriver?: unknown;
}

export type SourceStream = AsyncGenerator<SourceRecord, void, undefined>;
