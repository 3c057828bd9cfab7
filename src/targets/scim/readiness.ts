/**
 * What happens before a `target: scim` upload sends its first user, shared by `scimmap upload` and VS Code's
 * Send Test Upload: the target check in both directions, discovery, and the mapping-vs-server findings whose errors
 * refuse the upload with nothing sent.
 */
import { analyzeMappingText } from '../../engine/analysis';
import { nodeFileHost } from '../../engine/analysis/host';
import { compileMapping, type CompiledMapping } from '../../engine/transform/compile';
import type { EngineDiagnostic } from '../../engine/types';
import type { TokenProvider } from '../../delivery/types';
import type { ScimClient } from './client';
import { checkAgainstServer, type CompatFinding } from './compat';
import { discover, type ServerProfile } from './discovery';

/** The defaults of `scimmap upload` for SCIM (`--concurrency`, `--rate`). */
export const SCIM_CONCURRENCY = 4;
export const SCIM_RATE_PER_SECOND = 20;

/** A mapping compiled from text as an editor holds it (unsaved edits included), with its diagnostics. */
export function compileMappingText(text: string, filePath: string): { mapping: CompiledMapping; diagnostics: EngineDiagnostic[] } {
  const analysis = analyzeMappingText(text, { filePath, host: nodeFileHost });
  return { mapping: compileMapping(analysis), diagnostics: analysis.diagnostics };
}

/** Why a `target: entra` mapping must not go to a SCIM service provider (the other direction: preflight.ts). */
export function scimDestinationProblem(mapping: Pick<CompiledMapping, 'target'>): string | undefined {
  if (mapping.target === 'scim') return undefined;
  return `this mapping has target: ${mapping.target} (Microsoft Entra's bulkUpload), but the destination is a generic SCIM service provider; set target: scim in the mapping (and fix what validate then reports) to send it there`;
}

export interface ScimReadiness {
  server: ServerProfile;
  findings: CompatFinding[];
  /** The findings of severity error: any of them refuses the upload. */
  errors: CompatFinding[];
}

/** Discovery, then the mapping checked against what the server declares. Throws DiscoveryError (or a network error). */
export async function checkScimReadiness(client: ScimClient, tokens: TokenProvider, mapping: CompiledMapping, signal?: AbortSignal): Promise<ScimReadiness> {
  const server = await discover(client, await tokens.getToken(), signal);
  const findings = checkAgainstServer(mapping, server);
  return { server, findings, errors: findings.filter((f) => f.severity === 'error') };
}

/** One line per finding, as the CLI prints them and VS Code's refusal lists them. */
export function findingLine(f: CompatFinding): string {
  return `${f.severity}: ${f.code}${f.key ? ` (${f.key})` : ''}: ${f.message}`;
}

export function refusalLine(endpointUrl: string, errors: readonly CompatFinding[]): string {
  return `refused: ${endpointUrl} cannot take this mapping (${errors.length === 1 ? '1 error' : `${errors.length} errors`}); nothing was sent`;
}
