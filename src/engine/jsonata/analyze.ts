/**
 * Static facts about one JSONata expression, read from its AST: which record fields it reads (with the
 * offset of each path segment), which variables and functions it uses, and — where the AST makes it
 * certain — the JSON type of its result. Offsets are into the expression text.
 */
import type { ExprNode } from './compile';
import { builtin, StaticType } from './catalog';

export interface Segment {
  name: string;
  start: number;
  end: number;
}

/** A path read from the record (the input of the mapping), e.g. Personal.Legal_Name.First_Name. */
export interface FieldReference {
  segments: Segment[];
}

export interface NameUse {
  name: string;
  start: number;
  end: number;
}

export interface FunctionCall extends NameUse {
  argumentCount: number;
  /** Offsets of the argument list, `(` to `)` exclusive of the parentheses when known. */
}

export interface ExpressionFacts {
  fields: FieldReference[];
  /** `$name` uses that are not calls, not bound inside the expression, and not `$`/`$$`. */
  variables: NameUse[];
  calls: FunctionCall[];
  /** Names bound inside the expression (`:=`, lambda parameters). */
  bound: Set<string>;
  resultType: StaticType;
}

export function analyzeExpression(ast: ExprNode | undefined, text: string): ExpressionFacts {
  const facts: ExpressionFacts = { fields: [], variables: [], calls: [], bound: new Set(), resultType: 'any' };
  if (!ast) return facts;
  const a = new Analyzer(text, facts);
  a.visit(ast, []);
  facts.variables = facts.variables.filter((v) => !facts.bound.has(v.name));
  facts.resultType = staticType(ast);
  return facts;
}

class Analyzer {
  constructor(private readonly text: string, private readonly facts: ExpressionFacts) {}

  nameSegment(node: ExprNode): Segment {
    const name = String(node.value);
    const end = typeof node.position === 'number' ? node.position : 0;
    // Back-quoted names (`First Name`) include their quotes in the token.
    const quoted = this.text[end - 1] === '`';
    const start = Math.max(0, end - name.length - (quoted ? 2 : 0));
    return { name, start, end };
  }

  variableUse(node: ExprNode): NameUse {
    const name = String(node.value);
    const end = typeof node.position === 'number' ? node.position : 0;
    return { name, start: Math.max(0, end - name.length - 1), end };
  }

  /** @param ctx the record path the node is evaluated against, or null when that is unknown. */
  visit(node: ExprNode | undefined | null, ctx: string[] | null): void {
    if (!node || typeof node !== 'object') return;
    switch (node.type) {
      case 'path':
        this.path(node, ctx);
        return;
      case 'name': {
        // A lone name outside a path (jsonata usually wraps these, but be safe).
        if (ctx) this.facts.fields.push({ segments: [this.nameSegment(node)] });
        this.stages(node, ctx ? [...ctx, String(node.value)] : null);
        return;
      }
      case 'variable': {
        const v = String(node.value);
        if (v !== '' && v !== '$') this.facts.variables.push(this.variableUse(node));
        this.stages(node, null);
        return;
      }
      case 'function':
      case 'partial': {
        const proc = node.procedure as ExprNode | undefined;
        if (proc && proc.type === 'variable') {
          const use = this.variableUse(proc);
          this.facts.calls.push({ ...use, argumentCount: (node.arguments ?? []).length });
        } else this.visit(proc, null);
        for (const arg of (node.arguments ?? []) as ExprNode[]) this.visit(arg, ctx);
        this.stages(node, null);
        return;
      }
      case 'lambda':
        for (const arg of (node.arguments ?? []) as ExprNode[]) if (arg.type === 'variable') this.facts.bound.add(String(arg.value));
        this.visit(node.body as ExprNode, null);
        return;
      case 'bind':
        if ((node.lhs as ExprNode)?.type === 'variable') this.facts.bound.add(String((node.lhs as ExprNode).value));
        this.visit(node.rhs as ExprNode, ctx);
        return;
      case 'condition':
        this.visit(node.condition as ExprNode, ctx);
        this.visit(node.then as ExprNode, ctx);
        this.visit(node.else as ExprNode, ctx);
        return;
      case 'block':
        for (const e of (node.expressions ?? []) as ExprNode[]) this.visit(e, ctx);
        this.stages(node, null);
        return;
      case 'unary':
        if (node.value === '[') for (const e of (node.expressions ?? []) as ExprNode[]) this.visit(e, ctx);
        else if (node.value === '{') this.objectPairs(node.lhs, ctx);
        else this.visit(node.expression as ExprNode, ctx);
        this.stages(node, null);
        return;
      case 'binary':
        this.visit(node.lhs as ExprNode, ctx);
        this.visit(node.rhs as ExprNode, ctx);
        return;
      case 'apply':
        this.visit(node.lhs as ExprNode, ctx);
        this.visit(node.rhs as ExprNode, null);
        return;
      case 'transform':
        this.visit(node.pattern as ExprNode, null);
        this.visit(node.update as ExprNode, null);
        this.visit(node.delete as ExprNode, null);
        return;
      case 'sort':
        for (const t of (node.terms ?? []) as { expression: ExprNode }[]) this.visit(t.expression, null);
        return;
      default:
        return;
    }
  }

  objectPairs(lhs: unknown, ctx: string[] | null): void {
    if (!Array.isArray(lhs)) return;
    for (const pair of lhs) {
      if (Array.isArray(pair)) for (const part of pair) this.visit(part as ExprNode, ctx);
    }
  }

  /** Filters and predicates of a step run against that step's items. */
  stages(node: ExprNode, ctx: string[] | null): void {
    for (const s of ([...(node.stages ?? []), ...(node.predicate ?? [])] as ExprNode[])) {
      if (s && (s.type === 'filter' || s.type === 'predicate')) this.visit(s.expr as ExprNode, ctx);
      else if (s && s.type === 'index') this.facts.bound.add(String(s.value));
    }
    if (node.group) this.objectPairs((node.group as ExprNode).lhs, ctx);
    if (node.focus) this.facts.bound.add(String(node.focus));
    if (node.index && typeof node.index === 'string') this.facts.bound.add(node.index);
  }

  path(node: ExprNode, ctx: string[] | null): void {
    let cur: string[] | null = ctx;
    let segments: Segment[] = [];
    const flush = () => {
      if (segments.length) this.facts.fields.push({ segments });
      segments = [];
    };
    const steps = (node.steps ?? []) as ExprNode[];
    steps.forEach((step, i) => {
      if (step.type === 'name' && cur) {
        const seg = this.nameSegment(step);
        if (!segments.length && cur.length) {
          // Relative to an outer context: carry the outer segments (without offsets) in the name path.
          segments = cur.map((n) => ({ name: n, start: -1, end: -1 }));
        }
        segments.push(seg);
        cur = [...cur, seg.name];
        if ((step.stages ?? []).length || (step.predicate ?? []).length || step.group) {
          this.stages(step, cur);
        }
        return;
      }
      if (step.type === 'variable' && i === 0 && (step.value === '' || step.value === '$')) {
        cur = step.value === '$' ? [] : ctx;
        this.stages(step, cur);
        return;
      }
      flush();
      this.visit(step, cur);
      cur = null;
    });
    flush();
    if (node.group) this.objectPairs((node.group as ExprNode).lhs, null);
  }
}

const BOOLEAN_OPS = new Set(['=', '!=', '<', '<=', '>', '>=', 'in', 'and', 'or']);
const NUMBER_OPS = new Set(['+', '-', '*', '/', '%']);

/** The JSON type of the expression's result when the AST makes it certain, else 'any'. */
export function staticType(node: ExprNode | undefined): StaticType {
  if (!node) return 'any';
  switch (node.type) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'value':
      return node.value === null ? 'null' : typeof node.value === 'boolean' ? 'boolean' : 'any';
    case 'binary':
      if (node.value === '&') return 'string';
      if (BOOLEAN_OPS.has(String(node.value))) return 'boolean';
      if (NUMBER_OPS.has(String(node.value))) return 'number';
      if (node.value === '..') return 'array';
      return 'any';
    case 'unary':
      if (node.value === '-') return 'number';
      if (node.value === '[') return 'array';
      if (node.value === '{') return 'object';
      return 'any';
    case 'function': {
      const proc = node.procedure as ExprNode | undefined;
      if ((node.predicate ?? []).length || (node.stages ?? []).length) return 'any';
      if (proc?.type === 'variable') return builtin(String(proc.value))?.returns ?? 'any';
      return 'any';
    }
    case 'condition': {
      const t = staticType(node.then as ExprNode);
      if (!node.else) return t;
      const e = staticType(node.else as ExprNode);
      return t === e ? t : 'any';
    }
    case 'block': {
      const list = (node.expressions ?? []) as ExprNode[];
      return list.length ? staticType(list[list.length - 1]) : 'any';
    }
    case 'lambda':
      return 'function';
    default:
      return 'any';
  }
}
