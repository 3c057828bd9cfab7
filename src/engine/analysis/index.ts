/**
 * One analysis per document version: parse, schemas, targets, expressions and every check that needs no
 * sample data. Every feature (diagnostics, completion, hover, preview, the CLI) reads this one object.
 */
import * as path from 'node:path';
import type { EngineDiagnostic } from '../types';
import type { LetBinding, MappingDocument, MappingEntry, Target } from '../mapping/model';
import { targetOf } from '../mapping/model';
import { parseMappingText } from '../mapping/parse';
import { AnalyzedExpression, analyzeSource, ExpressionCache, expressionDiagnostics } from './expressions';
import { FileHost, isHardRefusal, resolveRelative } from './host';
import { buildSchemas, SchemaAnalysis } from './schemas';
import { staticTypeDiagnostics } from './staticTypes';
import { policyDiagnostics } from './policy';
import { ResolvedMapping, resolveTargets, TargetAnalysis } from './targets';
import { appDiagnostics, LoadedApp, loadApp } from './appSchema';
import { LoadedServer, loadServer, serverDiagnostics, targetKeyDiagnostics } from './serverSchema';
import type { AppModel } from '../../targets/entra/app/schema';

export interface AnalyzeOptions {
  /** Absolute path of the mapping file: relative sample and schema paths resolve from its folder. */
  filePath?: string;
  host?: FileHost;
  cache?: ExpressionCache;
  /** Absolute path of a saved provisioning app schema; overrides the mapping's `app:` (CLI `--app FILE`). */
  appPath?: string;
}

export interface AnalyzedMapping {
  entry: MappingEntry;
  resolved?: ResolvedMapping;
  expression?: AnalyzedExpression;
}

export interface AnalyzedLet {
  binding: LetBinding;
  expression: AnalyzedExpression;
}

export interface MappingAnalysis {
  doc: MappingDocument;
  target: Target;
  filePath?: string;
  baseDir?: string;
  schemas: SchemaAnalysis;
  targets: TargetAnalysis;
  lets: AnalyzedLet[];
  mappings: AnalyzedMapping[];
  /** Absolute path of source.sample when given. */
  samplePath?: string;
  sampleExists: boolean;
  /** The provisioning app's saved schema, when the mapping names one (`app:`) or `appPath` was given. */
  app?: LoadedApp;
  /** The SCIM server's saved discovery, when a `target: scim` mapping names one (`server:`). */
  server?: LoadedServer;
  /** Every check that needs no sample data, sorted by position. */
  diagnostics: EngineDiagnostic[];
}

export function analyzeMappingText(text: string, options: AnalyzeOptions = {}): MappingAnalysis {
  const doc = parseMappingText(text);
  const baseDir = options.filePath ? path.dirname(options.filePath) : undefined;
  const schemas = buildSchemas(doc, options.host, baseDir);
  const targets = resolveTargets(doc.mappings, schemas.set);
  const lets = doc.lets.map((binding) => ({ binding, expression: analyzeSource(binding.expression, options.cache) }));
  const mappings: AnalyzedMapping[] = doc.mappings.map((entry, i) => ({
    entry,
    resolved: targets.byEntry[i],
    expression: entry.value.kind === 'expression' ? analyzeSource(entry.value.expression, options.cache) : undefined,
  }));
  const diagnostics: EngineDiagnostic[] = [...doc.diagnostics, ...schemas.diagnostics, ...targets.diagnostics];
  const allExpressions = [...lets.map((l) => l.expression), ...mappings.flatMap((m) => (m.expression ? [m.expression] : []))];
  diagnostics.push(...expressionDiagnostics(allExpressions, doc.lets.map((l) => l.name.value)));
  diagnostics.push(...letOrder(lets));
  for (const m of mappings) if (m.resolved) diagnostics.push(...staticTypeDiagnostics(m.resolved, m.expression));

  const target = targetOf(doc);
  diagnostics.push(...policyDiagnostics(doc, target, mappings, schemas.set));
  if (target === 'entra' && doc.bulk?.size && doc.bulk.size.value > 50) {
    diagnostics.push({ code: 'mapping-structure', severity: 'error', start: doc.bulk.size.start, end: doc.bulk.size.end, message: `Entra accepts at most 50 operations per bulkUpload request, not ${doc.bulk.size.value}` });
  }
  if (target === 'entra' && doc.bulk?.failOnErrors && doc.bulk.failOnErrors.value !== null) {
    diagnostics.push({ code: 'mapping-structure', severity: 'warning', start: doc.bulk.failOnErrors.start, end: doc.bulk.failOnErrors.end, message: 'Entra documents only failOnErrors: null; SCIM Mapper sends null to Entra' });
  }

  let samplePath: string | undefined;
  let sampleExists = false;
  if (doc.source?.sample) {
    samplePath = resolveRelative(baseDir, doc.source.sample.value);
    const refused = options.host?.refusal?.(samplePath, 'sample');
    sampleExists = options.host && !isHardRefusal(refused) ? options.host.exists(samplePath) : false;
    if (isHardRefusal(refused)) {
      diagnostics.push({ code: 'file-refused', severity: 'error', message: `Sample file '${doc.source.sample.value}' is not read: ${refused.reason}`, start: doc.source.sample.start, end: doc.source.sample.end });
    } else if (options.host && !sampleExists && doc.source.from) {
      // With a source the sample is its snapshot: not there yet is normal until the first pull.
      diagnostics.push({ code: 'sample-not-pulled', severity: 'information', message: `No snapshot yet at '${doc.source.sample.value}': pull one from the source (scimmap sample pull, or Refresh Sample from Source in VS Code)`, start: doc.source.sample.start, end: doc.source.sample.end });
    } else if (options.host && !sampleExists) {
      diagnostics.push({ code: 'mapping-structure', severity: 'error', message: `Sample file '${doc.source.sample.value}' does not exist (resolved to ${samplePath})`, start: doc.source.sample.start, end: doc.source.sample.end });
    }
  }
  const app = target === 'entra' ? loadApp(doc, baseDir, options.host, options.appPath) : undefined;
  diagnostics.push(...profileDiagnostics(doc, target, mappings, app?.model));
  if (app) diagnostics.push(...appDiagnostics(doc, targets.resolved, app));
  const server = target === 'scim' ? loadServer(doc, baseDir, options.host) : undefined;
  if (server) diagnostics.push(...serverDiagnostics(doc, targets.resolved, server));
  diagnostics.push(...targetKeyDiagnostics(doc, target));
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
  return { doc, target, filePath: options.filePath, baseDir, schemas, targets, lets, mappings, samplePath, sampleExists, app, server, diagnostics };
}

/**
 * Whether Entra's userPrincipalName comes from userName: by default (the API-driven app's default mapping), and
 * with a saved app schema unless the app computes it from other attributes only (e.g. a Join of names).
 */
function upnNeedsUserName(model: AppModel | undefined): boolean {
  if (!model) return true;
  const upn = model.mappings.filter((m) => m.target.toLowerCase() === 'userprincipalname');
  if (!upn.length) return true;
  return upn.some((m) => !m.sources.length || m.sources.some((x) => x.toLowerCase() === 'username'));
}

/** A binding may use the bindings above it, not those below (they are evaluated in order). */
function letOrder(lets: AnalyzedLet[]): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  const names = lets.map((l) => l.binding.name.value);
  lets.forEach((l, i) => {
    for (const v of l.expression.facts.variables) {
      const j = names.indexOf(v.name);
      if (j >= i) {
        const s = l.expression.source.map.toDocument(v.start);
        out.push({ code: 'unknown-variable', severity: 'error', message: `$${v.name} is defined ${j === i ? 'by this binding itself' : 'below'}: a binding can only use the bindings above it`, start: s, end: s + (v.end - v.start) });
      }
    }
  });
  return out;
}

/** Required attributes of the target profile and Entra's known traps. */
function profileDiagnostics(doc: MappingDocument, target: Target, mappings: AnalyzedMapping[], appModel?: AppModel): EngineDiagnostic[] {
  if (!doc.mappingsKey) return [];
  const out: EngineDiagnostic[] = [];
  const has = (name: string) => mappings.some((m) => m.resolved && m.resolved.container === null && m.resolved.attribute.name === name);
  const at = { start: doc.mappingsKey.start, end: doc.mappingsKey.end };
  if (target === 'entra' && !has('externalId')) {
    out.push({ code: 'missing-required', severity: 'error', ...at, message: 'Map externalId: Entra matches HR records to users by it (and SCIM Mapper uses it as the bulkId)', data: { attribute: 'externalId' } });
  }
  if (target === 'entra' && !has('userName') && upnNeedsUserName(appModel)) {
    // The API-driven app maps userName to userPrincipalName: without it Entra cannot create the user.
    out.push({ code: 'missing-required', severity: 'error', ...at, message: 'Map userName: the provisioning app makes it the userPrincipalName, and Entra cannot create a user without one', data: { attribute: 'userName' } });
  }
  if (target === 'scim' && !has('userName')) {
    out.push({ code: 'missing-required', severity: 'error', ...at, message: 'Map userName: SCIM requires it for every User', data: { attribute: 'userName' } });
  }
  if (target === 'entra' && !has('active')) {
    // An error, not a warning: records without active have disabled accounts (entra-id-inbound-provisioning #16).
    out.push({ code: 'active-unmapped', severity: 'error', ...at, message: 'Map active: Entra has disabled accounts whose record left it out. Map it from the HR status, e.g. active: Status = "Active"', data: { attribute: 'active' } });
  }
  return out;
}
