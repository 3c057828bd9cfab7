/**
 * The one place that calls the jsonata parser. jsonata's AST is not a stable public API, so everything
 * else reads it through this folder. Parse errors come back with offsets into the expression text.
 */
import jsonata from 'jsonata';
import { registerHrFunctions } from './hrFunctions';
import { syntaxMessage } from './messages';

/** jsonata's typings list fewer node types than its parser produces (path, bind, apply, sort, filter …). */
export type ExprNode = Omit<jsonata.ExprNode, 'type'> & { type: string } & Record<string, any>;

export interface JsonataSyntaxError {
  code: string;
  message: string;
  /** Offsets into the expression text. */
  start: number;
  end: number;
}

export interface CompiledExpression {
  text: string;
  /** Present when the text parsed without errors. */
  expression?: jsonata.Expression;
  /** Present whenever the parser got far enough (also with errors: recover mode leaves error nodes). */
  ast?: ExprNode;
  errors: JsonataSyntaxError[];
}

interface RawError {
  code?: string;
  position?: number;
  token?: unknown;
  value?: unknown;
  message?: string;
}

/**
 * Longer values are not parsed: jsonata's lexer takes seconds per megabyte, which would stall the editor on
 * every keystroke, and no real mapping needs one.
 */
export const MAX_EXPRESSION_CHARS = 100_000;

/** Longer texts are parsed without jsonata's recover mode (which collects every error, but slowly). */
export const RECOVER_MAX_CHARS = 1000;

export function tooDeep(text: string): JsonataSyntaxError {
  return { code: 'too-deep', message: 'The expression is nested too deeply to be checked or evaluated', start: 0, end: Math.min(1, text.length) };
}

export function compileExpression(text: string): CompiledExpression {
  if (text.length > MAX_EXPRESSION_CHARS) {
    return { text, errors: [{ code: 'too-long', message: `The expression is ${text.length} characters long; expressions of more than ${MAX_EXPRESSION_CHARS} characters are neither checked nor evaluated`, start: 0, end: 1 }] };
  }
  if (text.trim() === '') {
    return { text, errors: [{ code: 'S0207', message: 'Empty expression: write a field name or a JSONata expression', start: 0, end: text.length }] };
  }
  if (text.length > RECOVER_MAX_CHARS) {
    // Recover mode takes seconds on a few KB with an error in a long path: long texts get the first error only.
    try {
      const expression = jsonata(text);
      return { text, expression, ast: expression.ast() as ExprNode, errors: [] };
    } catch (e) {
      if (e instanceof RangeError) return { text, errors: [tooDeep(text)] };
      return { text, errors: [toSyntaxError(e as RawError, text)] };
    }
  }
  let recovered: jsonata.Expression;
  try {
    recovered = jsonata(text, { recover: true });
  } catch (e) {
    // jsonata's recursive-descent parser overflows the stack on a few thousand nesting levels.
    if (e instanceof RangeError) return { text, errors: [tooDeep(text)] };
    // Lexer errors (unterminated strings, comments, bad escapes) throw even in recover mode.
    return { text, errors: [toSyntaxError(e as RawError, text)] };
  }
  const raw = ((recovered as unknown as { errors(): RawError[] | undefined }).errors?.() ?? []) as RawError[];
  let ast: ExprNode | undefined;
  try {
    ast = recovered.ast() as ExprNode;
  } catch {
    ast = undefined;
  }
  if (raw.length === 0) return { text, expression: recovered, ast, errors: [] };
  // One token can produce a cascade (S0203 + S0207 at the end); keep the first error per position.
  const errors: JsonataSyntaxError[] = [];
  for (const err of raw) {
    const se = toSyntaxError(err, text);
    if (!errors.some((x) => x.start === se.start && x.end === se.end)) errors.push(se);
  }
  return { text, ast, errors };
}

function toSyntaxError(err: RawError, text: string): JsonataSyntaxError {
  const code = err.code ?? 'S0201';
  const token = err.token === undefined || err.token === null ? undefined : String(err.token);
  const position = typeof err.position === 'number' ? Math.min(Math.max(err.position, 0), text.length) : text.length;
  let start: number;
  let end: number;
  if (token === undefined || token === '(end)') {
    // jsonata points just past the end: underline the last character so the squiggle is visible.
    // trimEnd(), never /\s+$/: that regex is quadratic on a long run of spaces (it retries from each one).
    end = text.trimEnd().length || text.length;
    start = Math.max(0, end - 1);
    if (token === undefined && code.startsWith('S01')) {
      // Lexer errors point at the place scanning stopped; show from the offending quote/comment to there.
      start = Math.max(0, Math.min(position, text.length) - 1);
      end = Math.max(start + 1, Math.min(text.length, position));
      const opener = lexerOpener(code, text, position);
      if (opener >= 0) {
        start = opener;
        end = Math.max(opener + 1, text.trimEnd().length);
      }
    }
  } else {
    end = position;
    start = Math.max(0, position - token.length);
    // For string tokens the position includes the quotes; widen to cover them when they are there.
    if (start > 0 && (text[start - 1] === '"' || text[start - 1] === "'") && text[end] === text[start - 1]) {
      start -= 1;
      end += 1;
    }
  }
  const message = syntaxMessage(code, token, err.value === undefined ? undefined : String(err.value));
  return { code, message, start, end: Math.max(end, start + (text.length > start ? 1 : 0)) };
}

function lexerOpener(code: string, text: string, position: number): number {
  const before = text.slice(0, Math.max(0, position));
  if (code === 'S0101') return Math.max(before.lastIndexOf('"'), before.lastIndexOf("'"));
  if (code === 'S0105') return before.lastIndexOf('`');
  if (code === 'S0106') return before.lastIndexOf('/*');
  if (code === 'S0302') return before.lastIndexOf('/');
  return -1;
}

/** Options that bound every evaluation of user text (an expression can loop or recurse forever). */
export interface EvaluationLimits {
  timeout: number;
  stack: number;
  sequence: number;
}

export const DEFAULT_LIMITS: EvaluationLimits = { timeout: 1000, stack: 300, sequence: 100_000 };

/** Compiles for evaluation with limits (the recover-mode object must not be evaluated). */
export function compileForEvaluation(text: string, limits: EvaluationLimits = DEFAULT_LIMITS): jsonata.Expression {
  const expression = jsonata(text, { timeout: limits.timeout, stack: limits.stack, sequence: limits.sequence });
  registerHrFunctions(expression);
  return expression;
}
