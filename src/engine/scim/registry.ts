/**
 * The schemas a mapping can target (core User, the enterprise extension, custom extensions) and resolution of
 * parsed target paths against them. Names and URNs are matched case-insensitively, as SCIM requires, and
 * results carry the canonical spelling.
 */
import { CORE_USER_URN } from '../types';
import { COMMON_ATTRIBUTES, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './coreSchemas';
import type { FilterNode, TextRange } from './filter';
import type { TargetPath } from './path';
import type { ScimAttribute, ScimSchema } from './schema';
import { didYouMean, didYouMeanBy } from './suggest';

export { schemaFromJson, schemaFromTypeMap, isSchemaUrn } from './schemaJson';
export type { TypeMapError } from './schemaJson';

export interface SchemaSet {
  /** The core User schema; bare attribute names resolve here (and in `common`). */
  readonly core: ScimSchema;
  /** Enterprise User first, then the custom extensions in the order given. */
  readonly extensions: readonly ScimSchema[];
  /** id, externalId, meta. */
  readonly common: readonly ScimAttribute[];
  /** Every schema, core first. */
  readonly all: readonly ScimSchema[];
  /** Schema by URN, ignoring case. */
  schema(urn: string): ScimSchema | undefined;
}

/**
 * Builds the set from core User + enterprise + `custom`. A custom schema whose URN (ignoring case) equals an
 * earlier one replaces it; the mapping validator reports such clashes where it can point at them.
 */
export function createSchemaSet(custom: readonly ScimSchema[] = []): SchemaSet {
  const byUrn = new Map<string, ScimSchema>();
  for (const s of [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ...custom]) byUrn.set(s.id.toLowerCase(), s);
  const all = [...byUrn.values()];
  const core = byUrn.get(CORE_USER_URN.toLowerCase()) ?? CORE_USER_SCHEMA;
  return {
    core,
    extensions: all.filter((s) => s !== core),
    common: COMMON_ATTRIBUTES,
    all,
    schema: (urn) => byUrn.get(urn.toLowerCase()),
  };
}

/** Attribute by name, ignoring case. */
export function findAttribute(attributes: readonly ScimAttribute[] | undefined, name: string): ScimAttribute | undefined {
  const lower = name.toLowerCase();
  return attributes?.find((a) => a.name.toLowerCase() === lower);
}

export interface ResolvedTarget {
  ok: true;
  schema: ScimSchema;
  attribute: ScimAttribute;
  subAttribute?: ScimAttribute;
  /** True for id, externalId and meta (top-level, outside any schema's attribute list). */
  common: boolean;
}

export type ResolveFailureKind =
  | 'unknown-schema'
  | 'missing-attribute'
  | 'unknown-attribute'
  | 'unknown-sub-attribute'
  | 'not-complex'
  | 'filter-on-singular'
  | 'unknown-filter-attribute';

export interface ResolveFailure {
  ok: false;
  kind: ResolveFailureKind;
  message: string;
  /** Replacement texts for `range`, best first (at most 5). */
  candidates: string[];
  /** Where the problem is, in the same offsets as the parsed path. */
  range: TextRange;
}

export type TargetResolution = ResolvedTarget | ResolveFailure;

/**
 * Resolves a parsed mapping key. A bare name resolves against core User and the common attributes only —
 * extension attributes need their URN prefix, as on SCIM servers — but the did-you-mean offers the prefixed
 * form when the name exists in an extension.
 */
export function resolveTargetPath(set: SchemaSet, path: TargetPath): TargetResolution {
  const failure = (kind: ResolveFailureKind, message: string, range: TextRange, candidates: string[] = []): ResolveFailure => ({
    ok: false,
    kind,
    message,
    candidates,
    range,
  });

  let schema = set.core;
  if (path.urn !== undefined) {
    const found = set.schema(path.urn);
    const urnRange = path.urnRange ?? path.attributeRange;
    if (!found) {
      // `…:enterprise:2.0:User` alone parses as URN `…:2.0` + attribute `User`.
      const whole = set.schema(`${path.urn}:${path.attribute}`);
      if (whole && path.subAttribute === undefined && path.filter === undefined) {
        const example = whole.attributes[0]?.name ?? 'attributeName';
        return failure(
          'missing-attribute',
          `"${whole.id}" is a schema URN; add ":" and an attribute name, e.g. ${whole.id}:${example}`,
          { start: urnRange.start, end: path.attributeRange.end },
        );
      }
      return failure(
        'unknown-schema',
        `unknown schema URN "${path.urn}"; custom extensions must be declared under "extensions"`,
        urnRange,
        // URNs share long prefixes, so only near-identical ones are worth offering.
        didYouMean(path.urn, set.all.map((s) => s.id), { maxDistance: Math.max(3, Math.floor(path.urn.length / 10)) }),
      );
    }
    schema = found;
  }

  const isCore = schema === set.core;
  let attribute = findAttribute(schema.attributes, path.attribute);
  let common = false;
  if (!attribute && isCore) {
    attribute = findAttribute(set.common, path.attribute);
    common = attribute !== undefined;
  }
  if (!attribute) return unknownAttribute(set, schema, path, failure);

  if (path.filter) {
    const filterRange = path.filterRange ?? path.attributeRange;
    if (!attribute.multiValued) {
      return failure('filter-on-singular', `"${attribute.name}" is single-valued; a "[…]" filter only applies to multi-valued attributes`, filterRange);
    }
    if (attribute.type !== 'complex') {
      return failure('not-complex', `"${attribute.name}" has no sub-attributes to filter on`, filterRange);
    }
    const bad = checkFilter(path.filter, attribute);
    if (bad) return bad;
  }

  if (path.subAttribute === undefined) return { ok: true, schema, attribute, common };
  const subRange = path.subAttributeRange ?? path.attributeRange;
  if (attribute.type !== 'complex') {
    return failure('not-complex', `"${attribute.name}" is a ${attribute.type}, not a complex attribute; it has no sub-attribute "${path.subAttribute}"`, subRange);
  }
  const subAttribute = findAttribute(attribute.subAttributes, path.subAttribute);
  if (!subAttribute) {
    const names = (attribute.subAttributes ?? []).map((a) => a.name);
    return failure(
      'unknown-sub-attribute',
      `"${attribute.name}" has no sub-attribute "${path.subAttribute}" (it has ${names.join(', ')})`,
      subRange,
      didYouMean(path.subAttribute, names),
    );
  }
  return { ok: true, schema, attribute, subAttribute, common };
}

type FailureFactory = (kind: ResolveFailureKind, message: string, range: TextRange, candidates?: string[]) => ResolveFailure;

function unknownAttribute(set: SchemaSet, schema: ScimSchema, path: TargetPath, failure: FailureFactory): ResolveFailure {
  const range = path.attributeRange;
  const isCore = schema === set.core;
  if (!isCore || path.urn !== undefined) {
    const names = [...schema.attributes, ...(isCore ? set.common : [])].map((a) => a.name);
    return failure('unknown-attribute', `schema ${schema.id} has no attribute "${path.attribute}"`, range, didYouMean(path.attribute, names));
  }
  // A bare name: offer core names as they are and extension names under their URN.
  const entries: Array<{ key: string; text: string }> = [
    ...[...schema.attributes, ...set.common].map((a) => ({ key: a.name, text: a.name })),
    ...set.extensions.flatMap((s) => s.attributes.map((a) => ({ key: a.name, text: `${s.id}:${a.name}` }))),
  ];
  const candidates = didYouMeanBy(path.attribute, entries, (e) => e.key).map((e) => e.text);
  const inExtension = set.extensions.find((s) => findAttribute(s.attributes, path.attribute));
  const message = inExtension
    ? `"${path.attribute}" belongs to the extension ${inExtension.id}; write it with the URN prefix: ` +
      `${inExtension.id}:${findAttribute(inExtension.attributes, path.attribute)!.name}`
    : `the core User schema has no attribute "${path.attribute}" (extension attributes need their URN prefix)`;
  return failure('unknown-attribute', message, range, candidates);
}

/** Filters inside `[...]` name sub-attributes of the filtered attribute, without URN or further nesting. */
function checkFilter(node: FilterNode, attribute: ScimAttribute): ResolveFailure | undefined {
  switch (node.kind) {
    case 'and':
    case 'or':
      return checkFilter(node.left, attribute) ?? checkFilter(node.right, attribute);
    case 'not':
      return checkFilter(node.filter, attribute);
    case 'valuePath':
    case 'compare':
    case 'present': {
      const p = node.path;
      const names = (attribute.subAttributes ?? []).map((a) => a.name);
      if (p.urn !== undefined) {
        return {
          ok: false,
          kind: 'unknown-filter-attribute',
          message: `inside "${attribute.name}[…]" name its sub-attributes without a schema URN`,
          candidates: [],
          range: { start: p.start, end: p.attributeRange.start },
        };
      }
      const sub = findAttribute(attribute.subAttributes, p.attribute);
      if (!sub) {
        return {
          ok: false,
          kind: 'unknown-filter-attribute',
          message: `"${attribute.name}" has no sub-attribute "${p.attribute}" to filter on (it has ${names.join(', ')})`,
          candidates: didYouMean(p.attribute, names),
          range: p.attributeRange,
        };
      }
      if (p.subAttribute !== undefined) {
        return {
          ok: false,
          kind: 'not-complex',
          message: `"${attribute.name}.${sub.name}" has no sub-attributes`,
          candidates: [],
          range: p.subAttributeRange ?? p.attributeRange,
        };
      }
      return undefined;
    }
  }
}
