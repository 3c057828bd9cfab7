/**
 * Checks a `target: scim` mapping against the SCIM server's saved discovery (`server:` in the mapping, written by
 * `scimmap server pull`): the same rules as the upload's refusal (`serverFindings` in targets/scim/compat.ts), as
 * diagnostics at the mapping keys they are about. The file is read through the FileHost like every other file of
 * the analysis, once per analysis (one per document version). `scimmap upload --endpoint` still asks the live
 * server: these diagnostics say what the saved copy says, so they never stop a target from being compiled.
 */
import type { EngineDiagnostic } from '../types';
import type { MappingDocument, MappingEntry, Span, Target } from '../mapping/model';
import type { FileHost } from './host';
import { resolveRelative } from './host';
import { readSavedJson } from './savedJson';
import type { ResolvedMapping } from './targets';
import type { ServerProfile } from '../../targets/scim/discovery';
import { COMPAT_CODES, type CompatFinding, serverFindings } from '../../targets/scim/compat';
import { parseServerProfile, ServerProfileError } from '../../targets/scim/savedProfile';

export interface LoadedServer {
  /** Absolute path of the saved discovery. */
  path: string;
  profile?: ServerProfile;
  error?: string;
}

/** The file-level code; the findings keep the upload's codes (server-extension-undeclared …). */
export const SERVER_SCHEMA_CODE = 'server-schema';

/** Diagnostics that come from the saved copy, not from the mapping itself: they never make a target skipped. */
export function fromSavedServer(d: { code: string }): boolean {
  return d.code === SERVER_SCHEMA_CODE || COMPAT_CODES.has(d.code);
}

export function loadServer(doc: MappingDocument, baseDir: string | undefined, host: FileHost | undefined): LoadedServer | undefined {
  if (!doc.server || !host) return undefined;
  const r = readSavedJson(host, resolveRelative(baseDir, doc.server.value), parseServerProfile, ServerProfileError, 'a saved SCIM server discovery');
  return { path: r.path, profile: r.value, error: r.error };
}

const FIX: Record<CompatFinding['code'], string> = {
  'server-extension-undeclared': 'Remove the mappings into this extension, or have the app declare it and pull again',
  'server-attribute-missing': 'Remove the mapping, or map to an attribute the server has',
  'server-type-mismatch': "Convert the value in the expression and map to an attribute of the server's type",
  'server-read-only': 'Remove the mapping: the server sets this attribute itself',
  'server-no-filter': 'Nothing in the mapping fixes this: the server must support filter (SCIM Mapper matches users by externalId)',
  'server-schema-unknown': 'Its attributes are sent unchecked',
};

// "the server's …" starts a sentence; an attribute name ("active is string …") keeps its case.
const sentence = (s: string) => (s.startsWith('the ') ? `The ${s.slice(4)}` : s);

export function serverDiagnostics(doc: MappingDocument, resolved: ResolvedMapping[], loaded: LoadedServer): EngineDiagnostic[] {
  const at: Span = doc.server ?? { start: 0, end: 0 };
  const name = doc.server?.value ?? loaded.path;
  if (!loaded.profile) {
    return [{ code: SERVER_SCHEMA_CODE, severity: 'error', start: at.start, end: at.end, message: `The saved SCIM server discovery '${name}' ${loaded.error}. Save it with: scimmap server pull <mapping> --endpoint URL` }];
  }
  const targets = resolved.map((r) => ({ resolved: r, key: r.entry.key.value, entry: r.entry }));
  const out: EngineDiagnostic[] = [];
  for (const { finding, targets: about } of serverFindings(targets, loaded.profile)) {
    const message = `${sentence(finding.message)} (saved server discovery '${name}'). ${FIX[finding.code]}`;
    const spans: Span[] = about.length ? about.map((t) => keySpan(t.entry)) : [at];
    for (const s of spans) out.push({ code: finding.code, severity: finding.severity, start: s.start, end: s.end, message });
  }
  return out;
}

const keySpan = (e: MappingEntry): Span => ({ start: e.key.start, end: e.key.end });

/** `server:` is for `target: scim`, `app:` for `target: entra`: the other target ignores it, which should be said. */
export function targetKeyDiagnostics(doc: MappingDocument, target: Target): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  if (target === 'entra' && doc.server) {
    out.push({ code: 'key-not-for-target', severity: 'warning', start: doc.server.start, end: doc.server.end, data: { key: 'server' }, message: "server: is ignored for target: entra: it names a SCIM server's saved discovery (target: scim). For Entra, name the provisioning app's saved schema with app: app-schema.json (scimmap app pull), or set target: scim" });
  }
  if (target === 'scim' && doc.app) {
    out.push({ code: 'key-not-for-target', severity: 'warning', start: doc.app.start, end: doc.app.end, data: { key: 'app' }, message: "app: is ignored for target: scim: it names Entra's provisioning app schema (target: entra). For a SCIM server, name its saved discovery with server: server-schema.json (scimmap server pull)" });
  }
  return out;
}
