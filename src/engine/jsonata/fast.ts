/**
 * A synchronous fast path for the common JSONata subset in mappings: field paths, literals, `&`, comparisons,
 * `and`/`or`, conditionals, blocks with `$var :=`, and a few string functions. jsonata's interpreter costs several
 * µs per expression (async steps, sequences, and the timeout/stack guard on every node); these closures cost a few
 * dozen ns.
 *
 * Exactness comes first. A closure only handles the values whose jsonata semantics are plain: when it meets anything
 * else (an array, a sequence, a function, a non-integer number in `&`, a value jsonata would reject with an error …)
 * it returns BAIL and the caller evaluates the same input with jsonata. So the fast path never throws and never
 * disagrees; test/unit/engine/fast.test.ts checks that against jsonata on samples and generated inputs.
 */
import type jsonata from 'jsonata';
import { compileForEvaluation, DEFAULT_LIMITS, EvaluationLimits, ExprNode } from './compile';

/** "Not sure: ask jsonata." */
export const BAIL: unique symbol = Symbol('bail');
type Bail = typeof BAIL;

/** Variables bound by blocks, innermost first (jsonata: one frame per block; lookup by own key, then outwards). */
interface Frame {
  vars: Record<string, unknown>;
  parent: Frame | null;
}
interface Env {
  bindings: Record<string, unknown>;
  frame: Frame | null;
}
type Node = (input: Record<string, unknown>, env: Env) => unknown;
export type FastFn = (input: unknown, bindings: Record<string, unknown>) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;
/** Deeper trees fall back: jsonata's `stack` limit counts nested evaluations, and we do not mirror its count. */
const MAX_DEPTH = 40;

/** jsonata treats these as functions (isFunction); nothing of ours should touch them. */
function isFunctionLike(v: object): boolean {
  return typeof v === 'function' || (v as { _jsonata_lambda?: unknown })._jsonata_lambda === true || (v as { _jsonata_function?: unknown })._jsonata_function === true;
}

/** Values we pass through unchanged: primitives (finite numbers) and plain non-array, non-function objects. */
function plain(v: unknown): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object':
      return !Array.isArray(v) && !isFunctionLike(v as object);
    default:
      return false;
  }
}

/** fn.boolean for primitives; BAIL for objects (their truthiness depends on keys and nested arrays). */
function truthy(v: unknown): boolean | undefined | Bail {
  if (v === undefined) return undefined;
  if (v === null) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'number':
      return Number.isFinite(v) ? v !== 0 : BAIL;
    case 'boolean':
      return v;
    default:
      return BAIL;
  }
}

/** fn.string as `&` applies it, for the values whose text is certain; integers print as JSON does. */
function text(v: unknown): string | Bail {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  if (typeof v === 'number' && Number.isInteger(v)) return JSON.stringify(v);
  return BAIL;
}

/** Only the keys we understand; jsonata leaves some keys present but undefined (e.g. `name`, `keepArray`). */
function keysAre(node: ExprNode, allowed: readonly string[]): boolean {
  for (const k of Object.keys(node)) {
    if (allowed.includes(k)) continue;
    // evaluate() tests these with hasOwnProperty, so even an undefined value changes behaviour.
    if (k === 'predicate' || k === 'group' || node[k] !== undefined) return false;
  }
  return true;
}

const LEAF = ['type', 'value', 'position'];

/** One step of a path: jsonata's lookup on a single (non-array) input. */
function step(cur: unknown, name: string): unknown {
  if (cur === null || typeof cur !== 'object') return undefined;
  if (Array.isArray(cur) || isFunctionLike(cur)) return BAIL;
  return hasOwn.call(cur, name) ? (cur as Record<string, unknown>)[name] : undefined;
}

function lookupVar(name: string, env: Env): unknown {
  for (let f = env.frame; f; f = f.parent) if (hasOwn.call(f.vars, name)) return f.vars[name];
  if (hasOwn.call(env.bindings, name) && isEnumerable.call(env.bindings, name)) return env.bindings[name];
  // Unbound: jsonata would look in its own environment (built-in functions, $now …). Not ours to answer.
  return BAIL;
}

/** Whether a call `$name(...)` reaches jsonata's built-in (a let or block variable of that name would shadow it). */
function shadowed(name: string, env: Env): boolean {
  for (let f = env.frame; f; f = f.parent) if (hasOwn.call(f.vars, name)) return true;
  return hasOwn.call(env.bindings, name) && isEnumerable.call(env.bindings, name);
}

/**
 * Built-ins in the subset. `params` checks each argument's type before the call, as jsonata's signature validation
 * does first: a missing first argument makes the function return undefined only when the other arguments fit
 * (otherwise jsonata's signature matcher may shift them onto the context and throw).
 */
type Param = (v: unknown) => boolean;
const S: Param = (v) => typeof v === 'string';
const N: Param = (v) => typeof v === 'number' && Number.isFinite(v);
const ANY: Param = () => true;
type Builtin = { params: Param[]; min: number; fn: (args: unknown[]) => unknown };
const BUILTINS: Record<string, Builtin> = {
  lowercase: { params: [S], min: 1, fn: ([s]) => (s === undefined ? undefined : (s as string).toLowerCase()) },
  uppercase: { params: [S], min: 1, fn: ([s]) => (s === undefined ? undefined : (s as string).toUpperCase()) },
  trim: {
    params: [S],
    min: 1,
    fn: ([s]) => {
      if (s === undefined) return undefined;
      let r = (s as string).replace(/[ \t\n\r]+/gm, ' ');
      if (r.charAt(0) === ' ') r = r.substring(1);
      if (r.charAt(r.length - 1) === ' ') r = r.substring(0, r.length - 1);
      return r;
    },
  },
  length: { params: [S], min: 1, fn: ([s]) => (s === undefined ? undefined : codePoints(s as string).length) },
  substring: {
    params: [S, N, N],
    min: 2,
    fn: ([s, start, length]) => {
      if (s === undefined) return undefined;
      const chars = codePoints(s as string);
      let from = start as number;
      if (chars.length + from < 0) from = 0;
      if (length !== undefined) {
        const len = length as number;
        if (len <= 0) return '';
        const end = from >= 0 ? from + len : chars.length + from + len;
        return chars.slice(from, end).join('');
      }
      return chars.slice(from).join('');
    },
  },
  substringBefore: {
    params: [S, S],
    min: 2,
    fn: ([s, chars]) => {
      if (s === undefined) return undefined;
      const pos = (s as string).indexOf(chars as string);
      return pos > -1 ? (s as string).substring(0, pos) : s;
    },
  },
  substringAfter: {
    params: [S, S],
    min: 2,
    fn: ([s, chars]) => {
      if (s === undefined) return undefined;
      const pos = (s as string).indexOf(chars as string);
      return pos > -1 ? (s as string).substring(pos + (chars as string).length) : s;
    },
  },
  // Token as a string only (a regex is a function value).
  contains: { params: [S, S], min: 2, fn: ([s, token]) => (s === undefined ? undefined : (s as string).indexOf(token as string) !== -1) },
  replace: {
    // String pattern and replacement only: jsonata then inserts the replacement literally (no $0/$1).
    params: [S, S, S, N],
    min: 3,
    fn: ([s, pattern, replacement, limit]) => {
      if (s === undefined) return undefined;
      if (pattern === '' || (limit !== undefined && (limit as number) < 0)) return BAIL; // jsonata's errors
      const str = s as string;
      const pat = pattern as string;
      const max = limit as number | undefined;
      if (max !== undefined && !(max > 0)) return str;
      let result = '';
      let position = 0;
      let count = 0;
      let index = str.indexOf(pat, position);
      while (index !== -1 && (max === undefined || count < max)) {
        result += str.substring(position, index) + (replacement as string);
        position = index + pat.length;
        count++;
        index = str.indexOf(pat, position);
      }
      return result + str.substring(position);
    },
  },
  // Arrays never get here (they BAIL first): a single string is joined as a one-item array.
  join: { params: [S, S], min: 1, fn: ([s]) => s },
  string: {
    params: [ANY],
    min: 1,
    fn: ([v]) => (v === undefined ? undefined : typeof v === 'object' && v !== null ? BAIL : text(v)),
  },
  number: {
    params: [(v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'],
    min: 1,
    fn: ([v]) => {
      if (v === undefined) return undefined;
      if (typeof v === 'number') return Number.isFinite(v) ? v : BAIL;
      if (v === true) return 1;
      if (v === false) return 0;
      // The decimal form only; hex/octal/binary strings and errors are jsonata's.
      if (/^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(v as string)) {
        const n = parseFloat(v as string);
        return Number.isFinite(n) ? n : BAIL;
      }
      return BAIL;
    },
  },
  boolean: { params: [ANY], min: 1, fn: ([v]) => truthy(v) },
  not: {
    params: [ANY],
    min: 1,
    fn: ([v]) => {
      const b = truthy(v);
      return b === BAIL ? BAIL : b === undefined ? undefined : !b;
    },
  },
  exists: { params: [ANY], min: 1, fn: ([v]) => v !== undefined },
};

function finite(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

/** jsonata counts characters by code point (for…of), not UTF-16 unit. */
function codePoints(s: string): string[] {
  const out: string[] = [];
  for (const c of s) out.push(c);
  return out;
}

class Unsupported extends Error {}

function compileNode(node: ExprNode, depth: number, inBlock: boolean): Node {
  if (depth > MAX_DEPTH) throw new Unsupported('too deep');
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      if (!keysAre(node, LEAF)) break;
      const v = node.value as unknown;
      if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) break;
      return () => v;
    }
    case 'path': {
      if (!keysAre(node, ['type', 'steps', 'position'])) break;
      const steps = node.steps as ExprNode[];
      if (!Array.isArray(steps) || steps.length === 0) break;
      const names: string[] = [];
      for (const s of steps) {
        if (s.type !== 'name' || !keysAre(s, LEAF) || typeof s.value !== 'string') throw new Unsupported('path step');
        names.push(s.value);
      }
      if (names.length === 1) {
        const [a] = names;
        return (input) => {
          const v = hasOwn.call(input, a) ? input[a] : undefined;
          return plain(v) ? v : BAIL;
        };
      }
      return (input) => {
        let cur: unknown = input;
        for (let i = 0; i < names.length; i++) {
          cur = step(cur, names[i]);
          if (cur === undefined || cur === BAIL) return cur;
        }
        return plain(cur) ? cur : BAIL;
      };
    }
    case 'variable': {
      if (!keysAre(node, LEAF) || typeof node.value !== 'string' || node.value === '' || node.value === '$') break;
      const name = node.value;
      return (_input, env) => {
        const v = lookupVar(name, env);
        return plain(v) ? v : BAIL;
      };
    }
    case 'unary': {
      if (node.value !== '-' || !keysAre(node, ['type', 'value', 'position', 'expression'])) break;
      const e = compileNode(node.expression as ExprNode, depth + 1, false);
      return (input, env) => {
        const v = e(input, env);
        if (v === undefined) return undefined;
        return finite(v) ? -(v as number) : BAIL;
      };
    }
    case 'condition': {
      if (!keysAre(node, ['type', 'position', 'condition', 'then', 'else'])) break;
      const c = compileNode(node.condition as ExprNode, depth + 1, false);
      const t = compileNode(node.then as ExprNode, depth + 1, false);
      const e = node.else === undefined ? undefined : compileNode(node.else as ExprNode, depth + 1, false);
      return (input, env) => {
        const b = truthy(c(input, env));
        if (b === BAIL) return BAIL;
        if (b) return t(input, env);
        return e ? e(input, env) : undefined;
      };
    }
    case 'block': {
      if (!keysAre(node, ['type', 'position', 'expressions'])) break;
      const exprs = (node.expressions as ExprNode[]).map((x) => compileNode(x, depth + 1, true));
      if (exprs.length === 1 && !(node.expressions as ExprNode[])[0].type.startsWith('bind')) {
        // `(expr)` binds nothing: no frame needed.
        const [only] = exprs;
        return (input, env) => only(input, env);
      }
      return (input, env) => {
        const inner: Env = { bindings: env.bindings, frame: { vars: Object.create(null) as Record<string, unknown>, parent: env.frame } };
        let result: unknown;
        for (let i = 0; i < exprs.length; i++) {
          result = exprs[i](input, inner);
          if (result === BAIL) return BAIL;
        }
        return result;
      };
    }
    case 'bind': {
      // Only directly inside a block: there the frame it writes to is the block's own, as in jsonata.
      if (!inBlock || node.value !== ':=' || !keysAre(node, ['type', 'value', 'position', 'lhs', 'rhs'])) break;
      const lhs = node.lhs as ExprNode;
      if (lhs.type !== 'variable' || typeof lhs.value !== 'string' || lhs.value === '' || !keysAre(lhs, LEAF)) break;
      const name = lhs.value;
      const rhs = compileNode(node.rhs as ExprNode, depth + 1, false);
      return (input, env) => {
        const v = rhs(input, env);
        if (v === BAIL) return BAIL;
        env.frame!.vars[name] = v;
        return v;
      };
    }
    case 'binary':
      return compileBinary(node, depth);
    case 'function': {
      if (node.value !== '(' || !keysAre(node, ['type', 'value', 'position', 'arguments', 'procedure'])) break;
      const proc = node.procedure as ExprNode;
      if (proc?.type !== 'variable' || !keysAre(proc, LEAF) || typeof proc.value !== 'string' || !hasOwn.call(BUILTINS, proc.value)) break;
      const name = proc.value;
      const b = BUILTINS[name];
      const argNodes = node.arguments as ExprNode[];
      if (!Array.isArray(argNodes) || argNodes.length < b.min || argNodes.length > b.params.length) break;
      const args = argNodes.map((a) => compileNode(a, depth + 1, false));
      return (input, env) => {
        if (shadowed(name, env)) return BAIL;
        const values: unknown[] = new Array(args.length);
        for (let i = 0; i < args.length; i++) {
          const v = args[i](input, env);
          // Only the first argument may be missing (jsonata then returns undefined); others are its to judge.
          if (v === BAIL || (v === undefined ? i > 0 : !b.params[i](v))) return BAIL;
          values[i] = v;
        }
        return b.fn(values);
      };
    }
  }
  throw new Unsupported(node.type);
}

function compileBinary(node: ExprNode, depth: number): Node {
  if (!keysAre(node, ['type', 'value', 'position', 'lhs', 'rhs'])) throw new Unsupported('binary');
  const op = node.value as string;
  const l = compileNode(node.lhs as ExprNode, depth + 1, false);
  const r = compileNode(node.rhs as ExprNode, depth + 1, false);
  switch (op) {
    case '&':
      return (input, env) => {
        const a = l(input, env);
        if (a === BAIL) return BAIL;
        const b = r(input, env);
        if (b === BAIL) return BAIL;
        const x = text(a);
        if (x === BAIL) return BAIL;
        const y = text(b);
        return y === BAIL ? BAIL : x + y;
      };
    case '=':
    case '!=': {
      const negate = op === '!=';
      return (input, env) => {
        const a = l(input, env);
        if (a === BAIL) return BAIL;
        const b = r(input, env);
        if (b === BAIL) return BAIL;
        if (a === undefined || b === undefined) return false;
        if ((typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null)) return BAIL; // deep equality
        return negate ? a !== b : a === b;
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (input, env) => {
        const a = l(input, env);
        if (a === BAIL) return BAIL;
        const b = r(input, env);
        if (b === BAIL) return BAIL;
        const ta = typeof a;
        const tb = typeof b;
        // Anything but string/number (or undefined) is an error in jsonata, as are mixed types.
        if (!(ta === 'undefined' || ta === 'string' || ta === 'number') || !(tb === 'undefined' || tb === 'string' || tb === 'number')) return BAIL;
        if (a === undefined || b === undefined) return undefined;
        if (ta !== tb) return BAIL;
        const x = a as string | number;
        const y = b as string | number;
        return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
      };
    case 'and':
    case 'or': {
      const isAnd = op === 'and';
      return (input, env) => {
        const a = l(input, env);
        if (a === BAIL) return BAIL;
        const x = truthy(a);
        if (x === BAIL) return BAIL;
        // Short-circuit exactly as jsonata does: the right side is evaluated only when needed.
        if (isAnd ? !x : x) return !!x;
        const b = r(input, env);
        if (b === BAIL) return BAIL;
        const y = truthy(b);
        return y === BAIL ? BAIL : !!y;
      };
    }
  }
  throw new Unsupported(`operator ${op}`);
}

/** A closure for the expression, or undefined when it uses anything outside the subset. */
export function compileFast(ast: ExprNode | undefined): FastFn | undefined {
  if (!ast) return undefined;
  let root: Node;
  try {
    root = compileNode(ast, 0, false);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  return (input, bindings) => {
    // jsonata wraps array inputs in a sequence and treats `$` specially: records are objects, anything else is jsonata's.
    if (input === null || typeof input !== 'object' || Array.isArray(input) || isFunctionLike(input)) return BAIL;
    try {
      return root(input as Record<string, unknown>, { bindings, frame: null });
    } catch {
      return BAIL; // e.g. a stack overflow on a huge string: let jsonata produce its own error
    }
  };
}

/** An expression ready to evaluate: synchronous when the fast path answers, jsonata (with its limits) otherwise. */
export interface Evaluator {
  /** True when the expression is in the fast subset (single records may still fall back). */
  fast: boolean;
  expression: jsonata.Expression;
  evaluate(input: unknown, bindings: Record<string, unknown>): unknown;
}

export function compileEvaluator(text: string, limits: EvaluationLimits = DEFAULT_LIMITS): Evaluator {
  const expression = compileForEvaluation(text, limits);
  const fn = compileFast(expression.ast() as ExprNode);
  if (!fn) return { fast: false, expression, evaluate: (input, bindings) => expression.evaluate(input, bindings) };
  return {
    fast: true,
    expression,
    evaluate(input, bindings) {
      const v = fn(input, bindings);
      return v === BAIL ? expression.evaluate(input, bindings) : v;
    },
  };
}
