/**
 * Checks the mapping against the provisioning app's saved schema (`app:` in the mapping, or `--app FILE`): an
 * attribute the app's source attribute list lacks is ignored by Entra; one no attribute mapping reads sets
 * nothing; types must agree; Entra does not support multi-valued custom attributes; the app's matching
 * attribute must be sent. The schema is read through the FileHost like every other file of the analysis.
 */
import type { EngineDiagnostic } from '../types';
import type { MappingDocument, Span } from '../mapping/model';
import type { FileHost } from './host';
import { resolveRelative } from './host';
import { readSavedJson } from './savedJson';
import type { ResolvedMapping } from './targets';
import { AppModel, appModel, AppSchemaError, appTypeOf, AttributeDefinition, parseAppSchema } from '../../targets/entra/app/schema';
import { CORE_USER_URN, ENTERPRISE_USER_URN } from '../types';

export interface LoadedApp {
  /** Absolute path of the schema file. */
  path: string;
  model?: AppModel;
  error?: string;
}

/** One attribute the mapping sends, as the app's source attribute list names it. */
export interface SentAttribute {
  mapping: ResolvedMapping;
  /** e.g. `name.givenName`, `emails[type eq "work"].value`, `urn:…:contoso:1.0:User:HireDate`. */
  name: string;
  definition?: AttributeDefinition;
  /** The app's attribute mappings that read it. */
  usedBy: AppModel['mappings'];
}

export function loadApp(doc: MappingDocument, baseDir: string | undefined, host: FileHost | undefined, appPath: string | undefined): LoadedApp | undefined {
  const file = appPath ?? (doc.app ? resolveRelative(baseDir, doc.app.value) : undefined);
  if (!file || !host) return undefined;
  const r = readSavedJson(host, file, (text) => appModel(parseAppSchema(text)), AppSchemaError, 'a provisioning app schema');
  return { path: r.path, model: r.value, error: r.error };
}

/** Matches a mapping target to the app's source attribute (names compare case-insensitively, as SCIM's do). */
export function sentAttributes(resolved: ResolvedMapping[], model: AppModel): SentAttribute[] {
  return resolved.map((mapping) => {
    const name = appNameOf(mapping);
    const lower = name.toLowerCase();
    let definition = model.attributes.get(lower);
    // Entra names the manager reference without `.value`.
    if (!definition && lower.endsWith('.value')) definition = model.attributes.get(lower.slice(0, -'.value'.length));
    const key = definition?.name.toLowerCase() ?? lower;
    const usedBy = model.mappings.filter((m) => m.sources.some((s) => s.toLowerCase() === key));
    return { mapping, name: definition?.name ?? name, definition, usedBy };
  });
}

export function appNameOf(m: ResolvedMapping): string {
  return m.label;
}

const isCustom = (m: ResolvedMapping) => m.container !== null && m.container.toLowerCase() !== ENTERPRISE_USER_URN.toLowerCase() && m.container.toLowerCase() !== CORE_USER_URN.toLowerCase();

export function appDiagnostics(doc: MappingDocument, resolved: ResolvedMapping[], app: LoadedApp): EngineDiagnostic[] {
  const at: Span = doc.app ?? doc.mappingsKey ?? { start: 0, end: 0 };
  const where = doc.app ? `'${doc.app.value}'` : app.path;
  if (!app.model) return [{ code: 'app-schema', severity: 'error', start: at.start, end: at.end, message: `The provisioning app schema ${where} ${app.error}. Save it with: scimmap app pull <mapping> --endpoint URL` }];
  const model = app.model;
  const out: EngineDiagnostic[] = [];
  const sent = sentAttributes(resolved, model);
  for (const s of sent) {
    const m = s.mapping;
    const key = { start: m.entry.key.start, end: m.entry.key.end };
    const whole = !m.subAttribute && !m.equalities && m.attribute.type === 'complex';
    if (!s.definition && whole) {
      // `name: {…}` sends name.givenName etc.: each part is its own source attribute in the app.
      const prefix = s.name.toLowerCase() + '.';
      if ([...model.attributes.keys()].some((k) => k.startsWith(prefix))) continue;
    }
    const type = appTypeOf(m.expected.type);
    if (!s.definition) {
      out.push({
        code: 'app-attribute-missing', severity: 'warning', ...key,
        message: `Entra ignores it: ${s.name} is not in the provisioning app's source attribute list, so Entra accepts the upload and drops the value. Add it to the app (quick fix, or scimmap app push)`,
        data: { attribute: s.name, type, multivalued: false },
      });
      continue;
    }
    if (isCustom(m) && (m.expectedMultiValued || s.definition.multivalued)) {
      out.push({ code: 'app-multivalued', severity: 'warning', ...key, message: `${s.name} is multi-valued: Entra does not support multi-valued custom attributes; send one value (e.g. join them)` });
    }
    const appType = String(s.definition.type);
    if (m.expected.type !== 'complex' && appType !== 'Reference' && appType.toLowerCase() !== type.toLowerCase()) {
      out.push({
        code: 'app-type-mismatch', severity: 'warning', ...key,
        message: `${s.name} is a ${m.expected.type} here but a ${appType} in the provisioning app: ${type === 'DateTime' && appType === 'String' ? 'Entra keeps the text as is and date functions in its mappings need CDate' : `Entra reads the value as ${appType}`}. Make the two agree`,
        data: { attribute: s.name, ours: type, app: appType },
      });
    }
    if (s.usedBy.length === 0) {
      out.push({ code: 'app-attribute-unused', severity: 'information', ...key, message: `${s.name} arrives in Entra but sets nothing: no attribute mapping of the provisioning app reads it` });
    }
  }
  const sentNames = new Set(sent.map((s) => s.name.toLowerCase()));
  for (const match of model.mappings.filter((m) => m.matchingPriority > 0)) {
    if (match.sources.length && !match.sources.some((s) => sentNames.has(s.toLowerCase()))) {
      const span = doc.mappingsKey ?? at;
      out.push({
        code: 'app-matching-unmapped', severity: 'error', start: span.start, end: span.end,
        message: `The provisioning app matches users by ${match.sources.join(', ')} → ${match.target}, which this mapping does not send: Entra cannot tell which user a record is`,
        data: { attribute: match.sources[0] },
      });
    }
  }
  return out;
}
