/** Builds the schema set a document targets: core User, enterprise, and its declared extensions. */
import type { EngineDiagnostic } from '../types';
import { CORE_USER_URN, ENTERPRISE_USER_URN } from '../types';
import type { ExtensionDecl, MappingDocument } from '../mapping/model';
import { createSchemaSet, schemaFromJson, schemaFromTypeMap, SchemaSet } from '../scim/registry';
import type { ScimSchema } from '../scim/schema';
import { FileHost, isHardRefusal, resolveRelative } from './host';

export interface SchemaAnalysis {
  set: SchemaSet;
  diagnostics: EngineDiagnostic[];
  /** Absolute paths of extension schema files (to watch them). */
  files: string[];
}

export function buildSchemas(doc: MappingDocument, host: FileHost | undefined, baseDir: string | undefined): SchemaAnalysis {
  const diagnostics: EngineDiagnostic[] = [];
  const custom: ScimSchema[] = [];
  const files: string[] = [];
  for (const ext of doc.extensions) {
    const urn = ext.urn.value;
    if (urn.toLowerCase() === CORE_USER_URN.toLowerCase() || urn.toLowerCase() === ENTERPRISE_USER_URN.toLowerCase()) {
      diagnostics.push({ code: 'mapping-structure', severity: 'error', message: `${urn} is built in: do not declare it under extensions`, start: ext.urn.start, end: ext.urn.end });
      continue;
    }
    const schema = ext.kind === 'file' ? fromFile(ext, host, baseDir, diagnostics, files) : fromInline(ext);
    if (schema) custom.push(schema);
  }
  return { set: createSchemaSet(custom), diagnostics, files };
}

function fromInline(ext: ExtensionDecl): ScimSchema {
  const map: Record<string, unknown> = {};
  for (const a of ext.attributes) map[a.name.value] = a.type.value;
  // The parser already reported bad names and types at their place; keep the valid remainder.
  return schemaFromTypeMap(ext.urn.value, map).schema;
}

function fromFile(ext: ExtensionDecl, host: FileHost | undefined, baseDir: string | undefined, diagnostics: EngineDiagnostic[], files: string[]): ScimSchema | undefined {
  const file = ext.file!;
  const problem = (message: string) => diagnostics.push({ code: 'mapping-structure', severity: 'error', message, start: file.start, end: file.end });
  if (!host) return undefined;
  const abs = resolveRelative(baseDir, file.value);
  files.push(abs);
  let text: string | undefined;
  try {
    text = host.readText(abs, 'schema');
  } catch (e) {
    if (!isHardRefusal(e)) throw e;
    diagnostics.push({ code: 'file-refused', severity: 'error', message: `Extension schema file '${file.value}' is not read: ${e.reason}`, start: file.start, end: file.end });
    return undefined;
  }
  if (text === undefined) {
    problem(`Extension schema file '${file.value}' cannot be read (resolved to ${abs})`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    problem(`Extension schema file '${file.value}' is not valid JSON: ${(e as Error).message}`);
    return undefined;
  }
  const r = schemaFromJson(json, ext.urn.value);
  if ('errors' in r) {
    problem(`Extension schema file '${file.value}': ${r.errors.slice(0, 3).join('; ')}${r.errors.length > 3 ? ` (+${r.errors.length - 3} more)` : ''}`);
    return undefined;
  }
  if (r.schema.id.toLowerCase() !== ext.urn.value.toLowerCase()) {
    problem(`Extension schema file '${file.value}' describes ${r.schema.id}, not ${ext.urn.value}`);
  }
  return { ...r.schema, id: ext.urn.value };
}
