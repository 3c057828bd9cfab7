/**
 * The provisioning app's synchronizationSchema as Microsoft Graph returns it (GET …/jobs/{job}/schema), read
 * defensively from a saved file, and the model SCIM Mapper derives from it: the source (API) directory's user
 * attributes and the attribute mappings of the rule that provisions Entra users. Unknown fields are kept
 * untouched so a read-modify-write PUT sends back exactly what Graph gave.
 */
import { attributesOf, parseExpression } from '../expressions/parse';

export type AttributeType = 'String' | 'Boolean' | 'DateTime' | 'Integer' | 'Reference' | 'Binary';
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['String', 'Boolean', 'DateTime', 'Integer', 'Reference', 'Binary'];

export interface AttributeDefinition {
  name: string;
  type: AttributeType | string;
  multivalued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  anchor?: boolean;
  flowNullValues?: boolean;
  mutability?: string;
  referencedObjects?: unknown[];
  apiExpressions?: unknown[];
  metadata?: unknown[];
  [k: string]: unknown;
}

export interface ObjectDefinition {
  name: string;
  attributes: AttributeDefinition[];
  [k: string]: unknown;
}

export interface DirectoryDefinition {
  id?: string;
  name: string;
  objects: ObjectDefinition[];
  [k: string]: unknown;
}

export interface AttributeMappingSource {
  type: 'Attribute' | 'Constant' | 'Function' | string;
  name?: string | null;
  expression?: string | null;
  parameters?: { key: string; value: AttributeMappingSource }[] | null;
  [k: string]: unknown;
}

export interface AttributeMapping {
  source: AttributeMappingSource | null;
  targetAttributeName: string;
  /** Always, ObjectAddOnly (applies only on creation), … */
  flowType?: string;
  flowBehavior?: string;
  /** 0 = not a matching attribute; 1 = the first matching attribute. */
  matchingPriority?: number;
  defaultValue?: string | null;
  exportMissingReferences?: boolean;
  [k: string]: unknown;
}

export interface ObjectMapping {
  name?: string;
  sourceObjectName: string;
  targetObjectName: string;
  enabled?: boolean;
  flowTypes?: string;
  scope?: unknown;
  attributeMappings: AttributeMapping[];
  [k: string]: unknown;
}

export interface SynchronizationRule {
  id?: string;
  name?: string;
  sourceDirectoryName: string;
  targetDirectoryName: string;
  objectMappings: ObjectMapping[];
  [k: string]: unknown;
}

export interface SynchronizationSchema {
  directories: DirectoryDefinition[];
  synchronizationRules: SynchronizationRule[];
  version?: string;
  [k: string]: unknown;
}

export class AppSchemaError extends Error {
  override name = 'AppSchemaError';
}

/** Parses and checks the shape of a saved schema; throws AppSchemaError with a path to the offending field. */
export function parseAppSchema(text: string): SynchronizationSchema {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new AppSchemaError(`not JSON: ${(e as Error).message}`);
  }
  return checkAppSchema(raw);
}

export function checkAppSchema(raw: unknown): SynchronizationSchema {
  const obj = (v: unknown, at: string): Record<string, unknown> => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new AppSchemaError(`${at} must be an object`);
    return v as Record<string, unknown>;
  };
  const arr = (v: unknown, at: string): unknown[] => {
    if (!Array.isArray(v)) throw new AppSchemaError(`${at} must be an array`);
    return v;
  };
  const str = (v: unknown, at: string): string => {
    if (typeof v !== 'string') throw new AppSchemaError(`${at} must be a string`);
    return v;
  };
  const root = obj(raw, 'the schema');
  arr(root.directories, 'directories').forEach((d, i) => {
    const dir = obj(d, `directories[${i}]`);
    str(dir.name, `directories[${i}].name`);
    arr(dir.objects, `directories[${i}].objects`).forEach((o, j) => {
      const od = obj(o, `directories[${i}].objects[${j}]`);
      str(od.name, `directories[${i}].objects[${j}].name`);
      arr(od.attributes, `directories[${i}].objects[${j}].attributes`).forEach((a, k) => {
        const ad = obj(a, `directories[${i}].objects[${j}].attributes[${k}]`);
        str(ad.name, `directories[${i}].objects[${j}].attributes[${k}].name`);
        str(ad.type, `directories[${i}].objects[${j}].attributes[${k}].type`);
      });
    });
  });
  arr(root.synchronizationRules, 'synchronizationRules').forEach((r, i) => {
    const rule = obj(r, `synchronizationRules[${i}]`);
    str(rule.sourceDirectoryName, `synchronizationRules[${i}].sourceDirectoryName`);
    str(rule.targetDirectoryName, `synchronizationRules[${i}].targetDirectoryName`);
    arr(rule.objectMappings, `synchronizationRules[${i}].objectMappings`).forEach((m, j) => {
      const om = obj(m, `synchronizationRules[${i}].objectMappings[${j}]`);
      str(om.sourceObjectName, `synchronizationRules[${i}].objectMappings[${j}].sourceObjectName`);
      str(om.targetObjectName, `synchronizationRules[${i}].objectMappings[${j}].targetObjectName`);
      arr(om.attributeMappings, `synchronizationRules[${i}].objectMappings[${j}].attributeMappings`).forEach((am, k) => {
        const at = `synchronizationRules[${i}].objectMappings[${j}].attributeMappings[${k}]`;
        const a = obj(am, at);
        str(a.targetAttributeName, `${at}.targetAttributeName`);
        if (a.source !== null && a.source !== undefined) obj(a.source, `${at}.source`);
      });
    });
  });
  return raw as SynchronizationSchema;
}

/** How one attribute mapping computes its Entra property. */
export type MappingKind = 'Direct' | 'Constant' | 'Expression' | 'None';

export interface AppMapping {
  mapping: AttributeMapping;
  target: string;
  kind: MappingKind;
  /** Direct: the source attribute; Constant: the value; Expression: the expression text. */
  text: string;
  /** Source attributes the mapping reads (lower-cased keys → as written). */
  sources: string[];
  /** Applies only when the user is created (flowType ObjectAddOnly). */
  onCreateOnly: boolean;
  matchingPriority: number;
}

/** What the checks, hover, preview and push need from a schema. */
export interface AppModel {
  schema: SynchronizationSchema;
  rule: SynchronizationRule;
  objectMapping: ObjectMapping;
  sourceDirectory: DirectoryDefinition;
  sourceObject: ObjectDefinition;
  /** Source attributes by lower-cased name. */
  attributes: ReadonlyMap<string, AttributeDefinition>;
  mappings: AppMapping[];
  /** Lower-cased source attribute names some attribute mapping reads. */
  used: ReadonlySet<string>;
}

/**
 * Picks the rule and object mapping that provision Entra users: target directory "Microsoft Entra ID" (older
 * tenants: "Azure Active Directory") and target object User. Throws AppSchemaError when there is none.
 */
export function appModel(schema: SynchronizationSchema): AppModel {
  const isEntra = (n: string) => /^(microsoft entra id|azure active directory|azure ad|aad)$/i.test(n.trim());
  const candidates = schema.synchronizationRules.flatMap((rule) => rule.objectMappings.map((om) => ({ rule, om })));
  const found =
    candidates.find(({ rule, om }) => isEntra(rule.targetDirectoryName) && /^user$/i.test(om.targetObjectName) && om.enabled !== false) ??
    candidates.find(({ om }) => /^user$/i.test(om.targetObjectName));
  if (!found) throw new AppSchemaError('the schema has no synchronization rule with an object mapping to User');
  const { rule, om } = found;
  const sourceDirectory = schema.directories.find((d) => d.name.toLowerCase() === rule.sourceDirectoryName.toLowerCase());
  if (!sourceDirectory) throw new AppSchemaError(`the rule's source directory '${rule.sourceDirectoryName}' is not in directories[]`);
  const sourceObject = sourceDirectory.objects.find((o) => o.name.toLowerCase() === om.sourceObjectName.toLowerCase());
  if (!sourceObject) throw new AppSchemaError(`the source object '${om.sourceObjectName}' is not in directory '${sourceDirectory.name}'`);
  const attributes = new Map(sourceObject.attributes.map((a) => [a.name.toLowerCase(), a] as const));
  const mappings = om.attributeMappings.map(describeMapping);
  const used = new Set(mappings.flatMap((m) => m.sources.map((s) => s.toLowerCase())));
  return { schema, rule, objectMapping: om, sourceDirectory, sourceObject, attributes, mappings, used };
}

export function describeMapping(mapping: AttributeMapping): AppMapping {
  const src = mapping.source;
  const base = { mapping, target: mapping.targetAttributeName, onCreateOnly: /ObjectAddOnly/i.test(mapping.flowType ?? ''), matchingPriority: mapping.matchingPriority ?? 0 };
  if (!src) return { ...base, kind: 'None', text: '', sources: [] };
  if (src.type === 'Attribute') return { ...base, kind: 'Direct', text: String(src.name ?? ''), sources: src.name ? [String(src.name)] : [] };
  if (src.type === 'Constant') return { ...base, kind: 'Constant', text: String(src.name ?? ''), sources: [] };
  const text = typeof src.expression === 'string' ? src.expression : expressionOf(src);
  return { ...base, kind: 'Expression', text, sources: sourcesOf(src, text) };
}

/** The attributes an expression reads: from its text when it parses, else from the structured parameters. */
function sourcesOf(src: AttributeMappingSource, text: string): string[] {
  try {
    return attributesOf(parseExpression(text));
  } catch {
    const out: string[] = [];
    const walk = (s: AttributeMappingSource | undefined | null, depth: number) => {
      if (!s || depth > MAX_SOURCE_DEPTH) return;
      if (s.type === 'Attribute' && s.name) out.push(s.name);
      for (const p of Array.isArray(s.parameters) ? s.parameters : []) walk(p?.value, depth + 1);
    };
    walk(src, 0);
    return out;
  }
}

/** Nesting of structured sources SCIM Mapper follows (a hostile file must not exhaust the stack). */
const MAX_SOURCE_DEPTH = 100;

/** Textual form of a structured source (Graph fills `expression`, but a hand-edited file may not). */
export function expressionOf(src: AttributeMappingSource, depth = 0): string {
  if (depth > MAX_SOURCE_DEPTH) throw new AppSchemaError(`an attribute mapping source is nested more than ${MAX_SOURCE_DEPTH} deep`);
  if (src.type === 'Attribute') return `[${String(src.name ?? '')}]`;
  if (src.type === 'Constant') return `"${String(src.name ?? '').replace(/[\\"]/g, '\\$&')}"`;
  const params = Array.isArray(src.parameters) ? src.parameters : [];
  return `${String(src.name ?? '')}(${params.map((p) => (p && p.value && typeof p.value === 'object' ? expressionOf(p.value, depth + 1) : '')).join(', ')})`;
}

/** Our SCIM type → the app's attribute type. */
export function appTypeOf(scimType: string): AttributeType {
  switch (scimType) {
    case 'boolean': return 'Boolean';
    case 'dateTime': return 'DateTime';
    case 'integer': return 'Integer';
    case 'reference': return 'Reference';
    case 'binary': return 'Binary';
    default: return 'String';
  }
}
