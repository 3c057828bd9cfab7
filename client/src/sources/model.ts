/** Pure parts of "Refresh Sample from Source" (no vscode import: unit-tested in test/unit/sources). */
import type { SourceConfig } from '../../../src/engine/mapping/sourceFromModel';

/**
 * Where a connector connects, the unit of the user's confirmation: `https://host:port` for HTTP sources (plus the
 * token endpoint's origin for OAuth), `postgres://host:port/db` for SQL (read from the connection string).
 */
export function confirmationTargets(config: SourceConfig, connection?: string): string[] {
  if (config.type !== 'sql') {
    const out = [new URL(config.url).origin];
    if (config.auth.tokenUrl) {
      const t = new URL(config.auth.tokenUrl).origin;
      if (!out.includes(t)) out.push(t);
    }
    return out;
  }
  return [sqlTarget(config.driver, connection ?? '')];
}

/** `postgres://host:port/db`; ADO.NET strings (`Server=…;Database=…`) for SQL Server too. Never the password. */
export function sqlTarget(driver: string, connection: string): string {
  try {
    const u = new URL(connection);
    return `${driver}://${u.host}${u.pathname}`;
  } catch {
    const parts = new Map<string, string>();
    for (const kv of connection.split(';')) {
      const eq = kv.indexOf('=');
      if (eq > 0) parts.set(kv.slice(0, eq).trim().toLowerCase(), kv.slice(eq + 1).trim());
    }
    const server = parts.get('server') ?? parts.get('data source') ?? parts.get('host') ?? '?';
    const db = parts.get('database') ?? parts.get('initial catalog') ?? '';
    return `${driver}://${server}${db ? `/${db}` : ''}`;
  }
}

/**
 * SecretStorage key of a source secret: the variable name AND where it goes, so that a value entered for one host
 * is never sent to another by a mapping that names the same variable.
 */
export function secretStorageKey(config: SourceConfig, name: string): string {
  return config.type === 'sql' ? `scimmap.source:${config.driver}:${name}` : `scimmap.source:${new URL(config.url).origin}:${name}`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function ageText(ms: number): string {
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  const d = Math.floor(ms / 86_400_000);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}
