import type { SourceRecord } from './types';

export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/**
 * A field seen in sample records.
 *
 * Path notation (JSONata-compatible, so completion can insert it as is):
 * - nested object keys are joined with '.': `Personal.Legal_Name.First_Name`;
 * - the elements of an array are `[]` after the array's path: `Phones[]` (the elements),
 *   `Phones[].Number` (a field of object elements); the array itself is `Phones` with type `array`;
 * - a key that is not a plain name (letters, digits, `_`, not starting with a digit, not a JSONata
 *   keyword) is quoted with backticks, as JSONata requires: `` `Cost Center`.ID ``.
 */
export interface FieldInfo {
  path: string;
  /** Raw keys from the record root, with '[]' for array elements: ['Phones', '[]', 'Number']. */
  segments: string[];
  /** JSON types seen, in order of first appearance. */
  types: JsonType[];
  /** Up to 3 distinct non-empty scalar values, in order of first appearance. */
  examples: Array<string | number | boolean>;
  /** Records where the field has a value other than null, "", [] or {}. */
  present: number;
  /** Records where the field is missing, null, "", [] or {} (records.length - present). */
  empty: number;
}

const MAX_EXAMPLES = 3;
const KEYWORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

interface Acc {
  info: FieldInfo;
  seenIn: number; // last record index counted in `present`
}

/** A field path seen so far, with its children by raw key: the path string is built once per field, not per value. */
interface Node {
  acc?: Acc;
  children?: Map<string, Node>;
}

/** Every field path in the records, in order of first appearance. */
export function inferFields(records: Iterable<SourceRecord>): FieldInfo[] {
  const fields: Acc[] = [];
  const root: Node = {};
  let total = 0;
  const child = (parent: Node, segments: string[], key: string): { node: Node; segments: string[] } => {
    parent.children ??= new Map();
    let node = parent.children.get(key);
    if (!node) parent.children.set(key, (node = {}));
    return { node, segments: node.acc ? node.acc.info.segments : [...segments, key] };
  };
  for (const rec of records) {
    const n = total++;
    const visit = (value: unknown, node: Node, segments: string[]): void => {
      if (segments.length > 0) note(fields, node, segments, value, n);
      if (Array.isArray(value)) {
        if (!value.length) return;
        const c = child(node, segments, '[]');
        for (const el of value) visit(el, c.node, c.segments);
      } else if (value !== null && typeof value === 'object') {
        for (const k in value as Record<string, unknown>) {
          if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
          const c = child(node, segments, k);
          visit((value as Record<string, unknown>)[k], c.node, c.segments);
        }
      }
    };
    visit(rec.value, root, []);
  }
  return fields.map(({ info }) => ({ ...info, empty: total - info.present }));
}

function note(fields: Acc[], node: Node, segments: string[], value: unknown, record: number): void {
  let acc = node.acc;
  if (!acc) {
    acc = { info: { path: fieldPath(segments), segments, types: [], examples: [], present: 0, empty: 0 }, seenIn: -1 };
    node.acc = acc;
    fields.push(acc);
  }
  const { info } = acc;
  const type = jsonType(value);
  if (!info.types.includes(type)) info.types.push(type);
  if (!isEmpty(value) && acc.seenIn !== record) {
    acc.seenIn = record;
    info.present++;
  }
  const scalar = type === 'string' || type === 'number' || type === 'boolean';
  if (scalar && value !== '' && info.examples.length < MAX_EXAMPLES && !info.examples.includes(value as string | number | boolean)) {
    info.examples.push(value as string | number | boolean);
  }
}

/** Builds the documented path notation from raw segments. */
export function fieldPath(segments: readonly string[]): string {
  let out = '';
  for (const s of segments) {
    if (s === '[]') out += '[]';
    else out += (out === '' ? '' : '.') + quoteName(s);
  }
  return out;
}

function quoteName(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name) && !KEYWORDS.has(name) ? name : '`' + name + '`';
}

function jsonType(v: unknown): JsonType {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}
