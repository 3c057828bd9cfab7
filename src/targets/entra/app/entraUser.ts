/**
 * The second hop, computed: the app's attribute mappings applied to one staged SCIM record, giving the Entra
 * user properties they set. Only attributes in the app's source attribute list are staged (Entra drops the
 * rest); Direct and Constant mappings are applied, Expression mappings run through our evaluator, and whatever
 * cannot be computed faithfully is reported as computed by Entra.
 */
import { CORE_USER_URN } from '../../../engine/types';
import { filterEqualities, parseTargetPath } from '../../../engine/scim/path';
import { evaluateNode, Evaluation } from '../expressions/evaluate';
import { ExprNode, ExpressionSyntaxError, parseExpression } from '../expressions/parse';
import { EntraDate, EValue } from '../expressions/values';
import type { AppMapping, AppModel } from './schema';

export type PropertyOutcome =
  | { kind: 'value'; value: JsonValue; redacted?: boolean }
  /** The source is empty (or IgnoreFlowIfNullOrEmpty dropped it): the property is not set. */
  | { kind: 'unset'; why: 'empty' | 'ignored' }
  | { kind: 'computedByEntra'; reason: string }
  | { kind: 'error'; message: string };

export type JsonValue = string | number | boolean | JsonValue[];

export interface EntraProperty {
  target: string;
  mapping: AppMapping;
  outcome: PropertyOutcome;
}

export interface EntraUser {
  properties: EntraProperty[];
  /** Attributes of the record that the app's source attribute list lacks: Entra drops them. */
  dropped: string[];
}

export interface EntraUserOptions {
  now?: () => number;
  /** Creating the user (default true): ObjectAddOnly mappings apply only then. */
  creating?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Parsed names and expressions, shared across records (a schema has a few dozen of each). */
const MAX_CACHED = 2_000;
const pathCache = new Map<string, ReturnType<typeof parseTargetPath>>();
const exprCache = new Map<string, ExprNode | ExpressionSyntaxError>();

function cached<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    v = make();
    cache.set(key, v);
  }
  return v;
}

function parsedExpression(text: string): ExprNode | ExpressionSyntaxError {
  return cached(exprCache, text, () => {
    try {
      return parseExpression(text);
    } catch (e) {
      if (e instanceof ExpressionSyntaxError) return e;
      throw e;
    }
  });
}

/** Reads a source attribute as the app names it (`name.givenName`, `emails[type eq "work"].value`, `urn:…:User:x`). */
export function stagedValue(resource: Record<string, unknown>, name: string): EValue {
  const parsed = cached(pathCache, name, () => parseTargetPath(name));
  if (!parsed.ok) return null;
  const p = parsed.path;
  let container: unknown = resource;
  if (p.urn && p.urn.toLowerCase() !== CORE_USER_URN.toLowerCase()) container = getCI(resource, p.urn);
  let v = getCI(container, p.attribute);
  if (p.filter) {
    const eq = filterEqualities(p.filter);
    if (!eq || !Array.isArray(v)) return null;
    v = v.find((el) => Object.entries(eq).every(([k, want]) => {
      const got = getCI(el, k);
      return typeof got === 'string' && typeof want === 'string' ? got.toLowerCase() === want.toLowerCase() : got === want;
    }));
  }
  if (p.subAttribute) v = Array.isArray(v) ? v.map((el) => getCI(el, p.subAttribute!)) : getCI(v, p.subAttribute);
  return toEValue(v as Json | undefined);
}

function getCI(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  if (key in rec) return rec[key];
  const lower = key.toLowerCase();
  const k = Object.keys(rec).find((x) => x.toLowerCase() === lower);
  return k === undefined ? undefined : rec[k];
}

function toEValue(v: Json | undefined): EValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => toEValue(x)).filter((x) => x !== null);
  if (typeof v === 'object') {
    // A reference such as manager: { value } stages as its value.
    const inner = getCI(v, 'value');
    return inner === undefined ? null : toEValue(inner as Json);
  }
  return v;
}

/** The SCIM attribute names in a resource, as the app would name them (for the "dropped" list). */
export function sentNames(resource: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'schemas') continue;
      if (k.toLowerCase().startsWith('urn:') && v && typeof v === 'object' && !Array.isArray(v)) {
        walk(v as Record<string, unknown>, `${k}:`);
        continue;
      }
      if (Array.isArray(v) && v.some((e) => e && typeof e === 'object')) {
        for (const el of v as Record<string, unknown>[]) {
          const type = typeof el?.type === 'string' ? `[type eq ${JSON.stringify(el.type)}]` : '';
          for (const sub of Object.keys(el ?? {})) if (sub !== 'type' && sub !== 'primary') out.push(`${prefix}${k}${type}.${sub}`);
        }
      } else if (v && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        if (prefix && keys.length === 1 && keys[0] === 'value') out.push(`${prefix}${k}`);
        else for (const sub of keys) out.push(`${prefix}${k}.${sub}`);
      } else out.push(`${prefix}${k}`);
    }
  };
  walk(resource, '');
  return out;
}

export function computeEntraUser(resource: Record<string, unknown>, model: AppModel, options: EntraUserOptions = {}): EntraUser {
  const creating = options.creating ?? true;
  const staged = (name: string): EValue => (model.attributes.has(name.toLowerCase()) ? stagedValue(resource, name) : null);
  const targetTypes = targetAttributeTypes(model);
  const properties: EntraProperty[] = [];
  for (const m of model.mappings) {
    if (m.onCreateOnly && !creating) continue;
    properties.push({ target: m.target, mapping: m, outcome: outcomeOf(m, staged, targetTypes.get(m.target.toLowerCase()), options) });
  }
  const dropped = sentNames(resource).filter((n) => !isStaged(n, model));
  return { properties, dropped };
}

function isStaged(name: string, model: AppModel): boolean {
  const l = name.toLowerCase();
  return model.attributes.has(l) || (l.endsWith('.value') && model.attributes.has(l.slice(0, -6)));
}

function outcomeOf(m: AppMapping, staged: (name: string) => EValue, targetType: string | undefined, options: EntraUserOptions): PropertyOutcome {
  const src = m.mapping.source;
  if (!src || m.kind === 'None') return { kind: 'unset', why: 'empty' };
  let r: Evaluation;
  if (m.kind === 'Constant') r = { kind: 'value', value: src.name ?? '', redacted: false };
  else if (m.kind === 'Direct') r = { kind: 'value', value: staged(m.text), redacted: false };
  else {
    const node = parsedExpression(m.text);
    r = node instanceof ExpressionSyntaxError ? { kind: 'error', message: node.message, offset: node.offset } : evaluateNode(node, { attribute: staged, now: options.now });
  }
  if (r.kind === 'ignored') return { kind: 'unset', why: 'ignored' };
  if (r.kind === 'computedByEntra') return r;
  if (r.kind === 'error') return { kind: 'error', message: r.message };
  let v = r.value;
  if ((v === null || v === '') && m.mapping.defaultValue) v = m.mapping.defaultValue;
  if (v === null || (Array.isArray(v) && v.length === 0)) return { kind: 'unset', why: 'empty' };
  return { kind: 'value', value: toJson(v, targetType), ...(r.redacted ? { redacted: true } : {}) };
}

function toJson(v: EValue, targetType: string | undefined): JsonValue {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map((x) => toJson(x, undefined));
  if (v instanceof EntraDate) return v.toString();
  if (targetType === 'Boolean' && typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  if (targetType === 'String' && typeof v !== 'string') return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
  return v as JsonValue;
}

/** Types of the target directory's User attributes (Entra's accountEnabled is Boolean …), when the schema lists them. */
function targetAttributeTypes(model: AppModel): Map<string, string> {
  const dir = model.schema.directories.find((d) => d.name.toLowerCase() === model.rule.targetDirectoryName.toLowerCase());
  const obj = dir?.objects.find((o) => o.name.toLowerCase() === model.objectMapping.targetObjectName.toLowerCase());
  return new Map((obj?.attributes ?? []).map((a) => [a.name.toLowerCase(), String(a.type)]));
}

/** `--format entra`: property → value; computed-by-Entra values as { computedByEntra: reason }. */
export function entraUserJson(user: EntraUser): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of user.properties) {
    if (p.outcome.kind === 'value') out[p.target] = p.outcome.value;
    else if (p.outcome.kind === 'computedByEntra') out[p.target] = { computedByEntra: p.outcome.reason };
    else if (p.outcome.kind === 'error') out[p.target] = { error: p.outcome.message };
  }
  return out;
}
