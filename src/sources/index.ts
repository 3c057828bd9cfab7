/**
 * HR systems as sources (docs/sources.md): the registry of connectors. Each produces the same SourceRecord stream
 * as the file readers, so the pipeline, preview, upload and sample snapshots work unchanged on them.
 */
import type { SourceConfig } from '../engine/mapping/sourceFromModel';
import { readHttp, restFlavour } from './rest';
import { readSql } from './sql';
import { successFactorsFlavour } from './successfactors';
import type { OpenSourceOptions, SourceStream } from './types';
import { workdayFlavour } from './workday';

export { SourceError } from './errors';
export { envSecrets, type SecretLookup } from './secrets';
export type { OpenSourceOptions, SourceProgress, SourceStream } from './types';

export function openSource(config: SourceConfig, opts: OpenSourceOptions): SourceStream {
  switch (config.type) {
    case 'rest':
      return readHttp(config, restFlavour, opts);
    case 'workday':
      return readHttp(config, workdayFlavour, opts);
    case 'successfactors':
      return readHttp(config, successFactorsFlavour, opts);
    case 'sql':
      return readSql(config, opts);
  }
}

/** Where a connector goes, for confirmations ("host" in VS Code) and messages: never a secret. */
export function sourceTarget(config: SourceConfig, env?: (name: string) => string | undefined): string {
  if (config.type !== 'sql') return new URL(config.url).host;
  const conn = env?.(config.connectionEnv);
  if (conn) {
    try {
      const u = new URL(conn);
      return `${config.driver}://${u.host}${u.pathname}`;
    } catch {
      /* not a URL (e.g. an ADO.NET string): name the variable */
    }
  }
  return `${config.driver} database from $${config.connectionEnv}`;
}
