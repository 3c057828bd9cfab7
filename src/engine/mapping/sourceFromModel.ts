/**
 * `source.from`: where the records come from when they are read from an HR system instead of a file.
 * Plain values (checked by sourceFrom.ts); secrets are never here, only the NAMES of environment variables.
 */
import type { Span } from './model';

export type SourceType = 'rest' | 'workday' | 'successfactors' | 'sql';
export const SOURCE_TYPES: readonly SourceType[] = ['rest', 'workday', 'successfactors', 'sql'];
export type AuthType = 'none' | 'basic' | 'bearer' | 'oauth2' | 'apiKey' | 'oauth2Refresh';
export type PagingType = 'none' | 'nextLink' | 'linkHeader' | 'offset' | 'page' | 'cursor';
export type SqlDriver = 'postgres' | 'mssql' | 'mysql';

export interface AuthConfig {
  type: AuthType;
  usernameEnv?: string;
  passwordEnv?: string;
  tokenEnv?: string;
  /** oauth2 (client credentials) and oauth2Refresh: the token endpoint. */
  tokenUrl?: string;
  clientIdEnv?: string;
  clientSecretEnv?: string;
  refreshTokenEnv?: string;
  scope?: string;
  /** apiKey: the header that carries the key (default X-API-Key). */
  header?: string;
  keyEnv?: string;
}

export interface PagingConfig {
  type: PagingType;
  /** nextLink / cursor: dot path of the next link or cursor in the body (nextLink default: @odata.nextLink, d.__next, next). */
  nextPath?: string;
  /** offset: query parameter names and the page size. */
  offsetParam?: string;
  limitParam?: string;
  pageSize?: number;
  /** page: query parameter and the first page's number (default 1). */
  pageParam?: string;
  startPage?: number;
  /** cursor: the query parameter the cursor goes in. */
  cursorParam?: string;
}

interface HttpCommon {
  url: string;
  auth: AuthConfig;
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Dot path of the records array in each response (e.g. `data.items`); per-type default. */
  records?: string;
  paging: PagingConfig;
  timeoutSeconds: number;
  retries: number;
  maxPages: number;
}

export interface RestSource extends HttpCommon {
  type: 'rest';
}
export interface WorkdaySource extends HttpCommon {
  type: 'workday';
}
export interface SuccessFactorsSource extends HttpCommon {
  type: 'successfactors';
  /** The entity set, e.g. `PerPerson` or `EmpJob` (appended to url). */
  entity?: string;
  select?: string;
  expand?: string;
  filter?: string;
  /** Effective dating: `asOfDate` (one day) or `fromDate`/`toDate` (a range), yyyy-MM-dd. */
  asOfDate?: string;
  fromDate?: string;
  toDate?: string;
  /** `customPageSize`: records per page of server-side paging (default 1000, the most SuccessFactors gives); pages follow `__next`. */
  pageSize?: number;
}
export interface SqlSource {
  type: 'sql';
  driver: SqlDriver;
  connectionEnv: string;
  query: string;
  params: Array<string | number | boolean | null>;
  /** Rows fetched per round trip from the cursor (default 1000). */
  batchSize: number;
  timeoutSeconds: number;
}

export type SourceConfig = RestSource | WorkdaySource | SuccessFactorsSource | SqlSource;
export type HttpSource = RestSource | WorkdaySource | SuccessFactorsSource;

export interface SourceFromSection extends Span {
  /** Present when the section has no errors. */
  config?: SourceConfig;
}

export function isHttpSource(c: SourceConfig): c is HttpSource {
  return c.type !== 'sql';
}
