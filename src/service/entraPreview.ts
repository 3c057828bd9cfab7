/**
 * The preview's third column, "Entra user": the provisioning app's attribute mappings applied to the selected
 * record's SCIM payload (the Entra user properties they set), from the saved app schema. Kept apart from the
 * rest of the preview model so the column can evolve on its own.
 */
import type { MappingAnalysis } from '../engine/analysis';
import type { ScimResource } from '../engine/types';
import { computeEntraUser } from '../targets/entra/app/entraUser';

export interface EntraColumnProperty {
  /** Entra user property (targetAttributeName). */
  target: string;
  how: 'Direct' | 'Constant' | 'Expression' | 'None';
  /** Source attribute, constant or expression text. */
  text: string;
  onCreateOnly: boolean;
  matching: boolean;
  outcome:
    | { kind: 'value'; value: unknown; redacted?: boolean }
    | { kind: 'unset'; why: 'empty' | 'ignored' }
    | { kind: 'computedByEntra'; reason: string }
    | { kind: 'error'; message: string };
}

export interface EntraColumn {
  /** The saved schema file. */
  appPath: string;
  /** Why there is no Entra user (the schema file is missing or invalid). */
  error?: string;
  properties: EntraColumnProperty[];
  /** Attributes of the payload the app's source attribute list lacks: Entra drops them. */
  dropped: string[];
}

export function entraColumn(analysis: MappingAnalysis, resource: ScimResource): EntraColumn | undefined {
  const app = analysis.app;
  if (!app) return undefined;
  if (!app.model) return { appPath: app.path, error: `The provisioning app schema ${app.error}.`, properties: [], dropped: [] };
  const user = computeEntraUser(resource as Record<string, unknown>, app.model);
  return {
    appPath: app.path,
    dropped: user.dropped,
    properties: user.properties.map((p) => ({
      target: p.target, how: p.mapping.kind, text: p.mapping.text, onCreateOnly: p.mapping.onCreateOnly, matching: p.mapping.matchingPriority > 0, outcome: p.outcome,
    })),
  };
}
