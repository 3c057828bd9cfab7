/**
 * Custom schema extensions from a mapping file: either a map attribute name → SCIM type, or an RFC 7643 §7
 * schema document. Both are validated into our ScimSchema model with messages a mapping author can act on.
 */
import { attr } from './coreSchemas';
import { isAttrName } from './filter';
import { Mutability, Returned, SCIM_TYPES, ScimAttribute, ScimSchema, ScimType, Uniqueness } from './schema';
import { didYouMean } from './suggest';

const MUTABILITIES: readonly Mutability[] = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNEDS: readonly Returned[] = ['always', 'never', 'default', 'request'];
const UNIQUENESSES: readonly Uniqueness[] = ['none', 'server', 'global'];

/** True for something that looks like a schema URN: `urn:` and at least one more segment. */
export function isSchemaUrn(text: string): boolean {
  return /^urn:[^:\s]+:\S+$/i.test(text) && !/[\s[\]"]/.test(text) && !text.endsWith(':');
}

/** Last ':'-separated segment of a URN, used as the schema's display name. */
function nameFromUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf(':') + 1) || urn;
}

/** Canonical spelling of `value` in `allowed`, compared case-insensitively (SCIM keywords are case-insensitive). */
function canonical<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  const lower = value.toLowerCase();
  return allowed.find((a) => a.toLowerCase() === lower);
}

function suggestion(word: string, candidates: readonly string[]): string {
  const [best] = didYouMean(word, candidates, { max: 1, maxDistance: Math.max(2, Math.floor(word.length / 2)) });
  return best ? ` (did you mean "${best}"?)` : ` (one of ${candidates.join(', ')})`;
}

// ---- simple form: { HireDate: 'dateTime' } ------------------------------------------------------------------

export interface TypeMapError {
  /** The attribute name as written, when the problem is one entry. */
  attribute?: string;
  message: string;
}

/**
 * Builds an extension schema from `attribute name → SCIM type`: singular, optional, readWrite attributes.
 * Always returns a schema (holding the valid entries, so one typo does not hide the rest) plus the errors.
 */
export function schemaFromTypeMap(urn: string, map: Record<string, unknown>): { schema: ScimSchema; errors: TypeMapError[] } {
  const errors: TypeMapError[] = [];
  if (!isSchemaUrn(urn)) errors.push({ message: `"${urn}" is not a schema URN (expected e.g. urn:ietf:params:scim:schemas:extension:contoso:1.0:User)` });
  const attributes: ScimAttribute[] = [];
  const seen = new Map<string, string>();
  for (const [name, value] of Object.entries(map)) {
    if (!isAttrName(name)) {
      errors.push({ attribute: name, message: `"${name}" is not a valid attribute name (a letter, then letters, digits, "-" or "_")` });
      continue;
    }
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      errors.push({ attribute: name, message: `"${name}" repeats "${earlier}" (attribute names are case-insensitive)` });
      continue;
    }
    seen.set(name.toLowerCase(), name);
    if (typeof value !== 'string') {
      errors.push({ attribute: name, message: `the type of "${name}" must be a SCIM type name such as "string" or "dateTime"` });
      continue;
    }
    const type = canonical(value.trim(), SCIM_TYPES);
    if (!type) {
      errors.push({ attribute: name, message: `"${value}" is not a SCIM type${suggestion(value, SCIM_TYPES)}` });
      continue;
    }
    if (type === 'complex') {
      errors.push({ attribute: name, message: `"${name}": a complex attribute needs sub-attributes; describe it in an RFC 7643 schema file instead` });
      continue;
    }
    attributes.push(attr(name, type, `Custom ${type} attribute of ${nameFromUrn(urn)} (${urn}).`));
  }
  return { schema: { id: urn, name: nameFromUrn(urn), description: `Custom extension ${urn}.`, attributes }, errors };
}

// ---- full form: an RFC 7643 §7 schema document ---------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Member lookup ignoring case: SCIM attribute names, including the schema's own, are case-insensitive. */
function member(obj: Json, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/**
 * Validates an RFC 7643 §7 schema (`{ id, name?, description?, attributes: [...] }`). `id` is the URN the mapping
 * declares it under: it fills a missing "id" and must match a present one. Missing characteristics take the
 * RFC 7643 §2.2 defaults. Errors name the JSON location, e.g. `attributes[2].type: ...`.
 */
export function schemaFromJson(json: unknown, id?: string): { schema: ScimSchema } | { errors: string[] } {
  const errors: string[] = [];
  if (!isObject(json)) return { errors: ['a schema must be a JSON object with "id" and "attributes"'] };

  const rawId = member(json, 'id');
  let urn = id;
  if (rawId !== undefined) {
    if (typeof rawId !== 'string') errors.push('id: must be a string (the schema URN)');
    else if (id !== undefined && rawId.toLowerCase() !== id.toLowerCase()) {
      errors.push(`id: "${rawId}" does not match the URN "${id}" the schema is declared under`);
    } else urn = rawId;
  }
  if (urn === undefined) errors.push('id: missing (the schema URN, e.g. urn:ietf:params:scim:schemas:extension:contoso:1.0:User)');
  else if (!isSchemaUrn(urn)) errors.push(`id: "${urn}" is not a schema URN`);

  const name = optionalString(json, 'name', '', errors);
  const description = optionalString(json, 'description', '', errors);
  const rawAttributes = member(json, 'attributes');
  let attributes: ScimAttribute[] = [];
  if (rawAttributes === undefined) errors.push('attributes: missing (an array of attribute definitions)');
  else if (!Array.isArray(rawAttributes)) errors.push('attributes: must be an array');
  else attributes = attributeList(rawAttributes, 'attributes', false, errors);

  if (errors.length) return { errors };
  const schemaId = urn as string;
  return { schema: { id: schemaId, name: name ?? nameFromUrn(schemaId), description: description ?? '', attributes } };
}

function optionalString(obj: Json, key: string, where: string, errors: string[]): string | undefined {
  const v = member(obj, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    errors.push(`${where}${key}: must be a string`);
    return undefined;
  }
  return v;
}

function attributeList(list: unknown[], where: string, isSub: boolean, errors: string[]): ScimAttribute[] {
  const out: ScimAttribute[] = [];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const at = `${where}[${i}]`;
    const attribute = attributeFromJson(raw, at, isSub, errors);
    if (!attribute) return;
    const key = attribute.name.toLowerCase();
    if (seen.has(key)) errors.push(`${at}.name: "${attribute.name}" is defined twice (names are case-insensitive)`);
    seen.add(key);
    out.push(attribute);
  });
  return out;
}

function attributeFromJson(raw: unknown, at: string, isSub: boolean, errors: string[]): ScimAttribute | undefined {
  if (!isObject(raw)) {
    errors.push(`${at}: must be an object`);
    return undefined;
  }
  const before = errors.length;
  const p = `${at}.`;

  const name = member(raw, 'name');
  if (typeof name !== 'string') errors.push(`${p}name: missing or not a string`);
  else if (!isAttrName(name)) errors.push(`${p}name: "${name}" is not a valid attribute name (a letter, then letters, digits, "-" or "_")`);

  const rawType = member(raw, 'type');
  let type: ScimType | undefined;
  if (typeof rawType !== 'string') errors.push(`${p}type: missing or not a string (one of ${SCIM_TYPES.join(', ')})`);
  else {
    type = canonical(rawType, SCIM_TYPES);
    if (!type) errors.push(`${p}type: "${rawType}" is not a SCIM type${suggestion(rawType, SCIM_TYPES)}`);
  }

  const flag = (key: string, fallback: boolean): boolean => {
    const v = member(raw, key);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      errors.push(`${p}${key}: must be true or false (a JSON boolean, not ${JSON.stringify(v)})`);
      return fallback;
    }
    return v;
  };
  const choice = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = member(raw, key);
    if (v === undefined) return fallback;
    const c = typeof v === 'string' ? canonical(v, allowed) : undefined;
    if (!c) errors.push(`${p}${key}: ${JSON.stringify(v)} is not valid${typeof v === 'string' ? suggestion(v, allowed) : ` (one of ${allowed.join(', ')})`}`);
    return c ?? fallback;
  };
  const strings = (key: string): string[] | undefined => {
    const v = member(raw, key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      errors.push(`${p}${key}: must be an array of strings`);
      return undefined;
    }
    return v as string[];
  };

  const attribute: ScimAttribute = {
    name: typeof name === 'string' ? name : '',
    type: type ?? 'string',
    multiValued: flag('multiValued', false),
    required: flag('required', false),
    caseExact: flag('caseExact', false),
    mutability: choice('mutability', MUTABILITIES, 'readWrite'),
    returned: choice('returned', RETURNEDS, 'default'),
    uniqueness: choice('uniqueness', UNIQUENESSES, 'none'),
    description: optionalString(raw, 'description', p, errors) ?? '',
  };
  const canonicalValues = strings('canonicalValues');
  if (canonicalValues) attribute.canonicalValues = canonicalValues;
  const referenceTypes = strings('referenceTypes');
  if (referenceTypes) {
    attribute.referenceTypes = referenceTypes;
    if (type && type !== 'reference') errors.push(`${p}referenceTypes: only "reference" attributes have reference types`);
  }

  const subs = member(raw, 'subAttributes');
  if (type === 'complex') {
    if (isSub) errors.push(`${p}type: a sub-attribute cannot be complex (SCIM allows one level of nesting)`);
    else if (!Array.isArray(subs) || subs.length === 0) errors.push(`${p}subAttributes: a complex attribute needs a non-empty array of sub-attributes`);
    else attribute.subAttributes = attributeList(subs, `${p}subAttributes`, true, errors);
  } else if (subs !== undefined && !(Array.isArray(subs) && subs.length === 0)) {
    errors.push(`${p}subAttributes: only complex attributes have sub-attributes (type is "${rawType}")`);
  }
  return errors.length === before ? attribute : undefined;
}
