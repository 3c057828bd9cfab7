import { ReaderError } from './errors';
import { countNewlines, type WarnFn } from './text';
import type { SourceRecord } from './types';

/**
 * Longest JSON element or JSONL line, in characters. Far above a real record (nested Workday workers run
 * to tens of KiB) but a stop for an unclosed string or bracket, which would otherwise buffer the whole file.
 */
export const MAX_JSON_RECORD_CHARS = 16 * 1024 * 1024;
/**
 * Deepest nesting of objects and arrays in one record (the record itself is level 1). HR records are a few
 * levels deep; a hostile file nested thousands deep would drive JSON.parse, field inference and evaluation
 * into deep recursion and gigabytes of heap.
 */
export const MAX_JSON_DEPTH = 64;
/** Longer wrapper keys are not a report export; stop rather than buffer them. */
const MAX_WRAPPER_KEY_CHARS = 1024;

export interface JsonReadOptions {
  signal?: AbortSignal;
  warn?: WarnFn;
  /** For tests; default MAX_JSON_RECORD_CHARS. */
  maxRecordChars?: number;
  /** For tests; default MAX_JSON_DEPTH. */
  maxDepth?: number;
}

export function tooDeepMessage(what: string, maxDepth: number): string {
  return `${what} is nested deeper than ${maxDepth} levels of objects and arrays (the limit for one record)`;
}

/**
 * Index of the bracket at which `text` (one JSON value) passes `maxDepth` levels of nesting, or -1.
 * A linear scan that skips strings, run before JSON.parse.
 */
export function depthOverflowAt(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === 0x5c) escaped = true;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > maxDepth) return i;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return -1;
}

const enum State {
  BeforeArray,
  FirstElement, // after '[': an element or ']'
  InElement,
  AfterElement, // ',' or ']'
  NextElement, // after ',': an element
  WrapperKey, // after the top-level '{': its first key or '}'
  InWrapperKey,
  WrapperColon,
  WrapperValue,
  AfterWrapped, // after the wrapped array's ']': '}' (a ',' means a second key)
  Done,
}

const WRAPPER_HINT =
  'expected an array of objects, or an object with a single key holding that array (like Workday\'s {"Report_Entry": [...]}); ' +
  'a file with one object per line is JSONL: name it .jsonl or set the format to jsonl';

/** The `unwrapped` warning (code `unwrapped`: information only, the normal Workday RaaS shape). */
function unwrappedMessage(key: string): string {
  return `records read from the ${JSON.stringify(key)} array`;
}

/**
 * Streams the elements of a top-level JSON array of objects, or of the array in a top-level object with a
 * single key (Workday RaaS: `{"Report_Entry": [...]}`, reported with an `unwrapped` warning). A small scanner
 * finds where each element ends (tracking strings and nesting) and JSON.parse parses that slice, so memory is
 * bounded by the largest element (at most maxRecordChars) and every record knows the line it starts on.
 */
export async function* readJsonArray(file: string, text: AsyncIterable<string>, opts: JsonReadOptions = {}): AsyncGenerator<SourceRecord> {
  const maxChars = opts.maxRecordChars ?? MAX_JSON_RECORD_CHARS;
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  let state = State.BeforeArray as State;
  let line = 1;
  let col = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let partsLen = 0;
  let elemLine = 0;
  let elemCol = 0;
  let index = 0;
  let key = ''; // raw text of the wrapper key, quotes included, then its parsed value
  let wrapped = false;
  let objLine = 1; // the top-level '{', where errors about the wrapper's shape point
  let objCol = 1;
  const fail = (code: string, msg: string, l = line, c = col): never => {
    throw new ReaderError(file, code, msg, l, c);
  };
  const tooLarge = (): never =>
    fail('record-too-large', `element ${index + 1} is longer than ${maxChars} characters (the limit for one record); is a quote or bracket left open?`, elemLine, elemCol);

  for await (const chunk of text) {
    opts.signal?.throwIfAborted();
    let start = state === State.InElement || state === State.InWrapperKey ? 0 : -1;
    // Index in this chunk at which the current element would pass the cap: checked per character, so an
    // unclosed element fails as soon as it is too long, not at the end of the file.
    let capAt = state === State.InElement ? maxChars - partsLen : 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (state === State.InElement) {
        if (i >= capAt) tooLarge();
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === 0x5c) escaped = true;
          else if (ch === 0x22) inString = false;
        } else if (ch === 0x22) inString = true;
        else if (ch === 0x7b || ch === 0x5b) {
          if (++depth > maxDepth) fail('too-deep', tooDeepMessage(`element ${index + 1}`, maxDepth));
        } else if (ch === 0x7d || ch === 0x5d) {
          if (--depth === 0) {
            parts.push(chunk.slice(start, i + 1));
            const value = parseElement(file, parts.join(''), index, elemLine, elemCol);
            parts = [];
            partsLen = 0;
            state = State.AfterElement;
            yield { index: index++, line: elemLine, value };
          }
        }
      } else if (state === State.InWrapperKey) {
        if (escaped) escaped = false;
        else if (ch === 0x5c) escaped = true;
        else if (ch === 0x22) {
          key = parseKey(file, key + chunk.slice(start, i + 1), elemLine, elemCol);
          state = State.WrapperColon;
        }
        if (state === State.InWrapperKey && key.length + i - start >= MAX_WRAPPER_KEY_CHARS) {
          fail('not-an-array', `the top-level value is an object whose first key is longer than ${MAX_WRAPPER_KEY_CHARS} characters; ${WRAPPER_HINT}`, objLine, objCol);
        }
      } else if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) {
        // whitespace between tokens
      } else if (state === State.BeforeArray) {
        if (ch === 0x5b) state = State.FirstElement;
        else if (ch === 0x7b) {
          state = State.WrapperKey;
          objLine = line;
          objCol = col;
        } else fail('not-an-array', 'expected a JSON array of objects');
      } else if (state === State.FirstElement || state === State.NextElement) {
        if (ch === 0x7b) {
          state = State.InElement;
          depth = 1;
          start = i;
          capAt = i + maxChars;
          elemLine = line;
          elemCol = col;
        } else if (ch === 0x5d && state === State.FirstElement) state = wrapped ? State.AfterWrapped : State.Done;
        else if (ch === 0x5d) fail('json-syntax', "trailing comma before ']'");
        else fail('not-an-object', `element ${index + 1} is ${describe(chunk, i)}, not an object`);
      } else if (state === State.AfterElement) {
        if (ch === 0x2c) state = State.NextElement;
        else if (ch === 0x5d) state = wrapped ? State.AfterWrapped : State.Done;
        else fail('json-syntax', `expected ',' or ']' after element ${index}`);
      } else if (state === State.WrapperKey) {
        if (ch === 0x22) {
          state = State.InWrapperKey;
          start = i;
          key = '';
          elemLine = line; // the key's position, for the `unwrapped` warning and a bad key
          elemCol = col;
        } else if (ch === 0x7d) fail('not-an-array', `the top-level value is an empty object; ${WRAPPER_HINT}`, objLine, objCol);
        else fail('json-syntax', "expected a key in double quotes after the top-level '{'");
      } else if (state === State.WrapperColon) {
        if (ch === 0x3a) state = State.WrapperValue;
        else fail('json-syntax', `expected ':' after the key ${JSON.stringify(key)}`);
      } else if (state === State.WrapperValue) {
        if (ch === 0x5b) {
          state = State.FirstElement;
          wrapped = true;
          opts.warn?.('unwrapped', unwrappedMessage(key), elemLine);
        } else {
          fail('not-an-array', `the top-level value is an object whose key ${JSON.stringify(key)} holds ${describe(chunk, i)}, not an array; ${WRAPPER_HINT}`, objLine, objCol);
        }
      } else if (state === State.AfterWrapped) {
        if (ch === 0x7d) state = State.Done;
        else if (ch === 0x2c) {
          fail('not-an-array', `the top-level object has more keys after ${JSON.stringify(key)}; only an object with a single key holding the array of records is read (like {"Report_Entry": [...]})`);
        } else fail('json-syntax', `expected '}' after the ${JSON.stringify(key)} array`);
      } else {
        fail('json-syntax', wrapped ? "unexpected content after the closing '}'" : "unexpected content after the closing ']'");
      }
      if (ch === 0x0a) {
        line++;
        col = 1;
      } else col++;
    }
    if (state === State.InElement) {
      const rest = chunk.slice(start);
      parts.push(rest);
      partsLen += rest.length;
    } else if (state === State.InWrapperKey) key += chunk.slice(start);
  }
  if (state === State.Done) return;
  if (state === State.BeforeArray) fail('empty-file', 'the file is empty (expected a JSON array of objects)', 1, 1);
  if (state === State.InElement) fail('json-syntax', `element ${index + 1} is not closed before the end of the file`, elemLine, elemCol);
  if (state === State.FirstElement || state === State.NextElement || state === State.AfterElement) {
    fail('json-syntax', "the array is not closed: ']' missing at the end of the file");
  }
  fail('json-syntax', "the top-level object is not closed: '}' missing at the end of the file");
}

function parseKey(file: string, raw: string, line: number, col: number): string {
  try {
    return JSON.parse(raw) as string;
  } catch (e) {
    throw new ReaderError(file, 'json-syntax', `invalid key in the top-level object: ${cleanJsonMessage(e)}`, line, col);
  }
}

function parseElement(file: string, text: string, index: number, line: number, col: number): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    const at = jsonErrorPosition(e);
    let l = line;
    let c = col;
    if (at !== undefined) {
      const nls = countNewlines(text, 0, at);
      l += nls;
      c = nls === 0 ? col + at : at - text.lastIndexOf('\n', at - 1);
    }
    throw new ReaderError(file, 'json-syntax', `invalid JSON in element ${index + 1}: ${cleanJsonMessage(e)}`, l, c);
  }
}

/** V8 says "... in JSON at position N" for most syntax errors. */
export function jsonErrorPosition(e: unknown): number | undefined {
  const m = /at position (\d+)/.exec((e as Error)?.message ?? '');
  return m ? Number(m[1]) : undefined;
}

/** V8's message without the position (we give line:column) and without a long source excerpt. */
export function cleanJsonMessage(e: unknown): string {
  return ((e as Error)?.message ?? String(e))
    .replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, '')
    .replace(/, ".*" is not valid JSON$/s, '');
}

function describe(text: string, i: number): string {
  const ch = text[i];
  if (ch === '"') return 'a string';
  if (ch === '[') return 'an array';
  if (ch === '{') return 'an object';
  if (ch === '-' || (ch >= '0' && ch <= '9')) return 'a number';
  if (text.startsWith('true', i) || text.startsWith('false', i)) return 'a boolean';
  if (text.startsWith('null', i)) return 'null';
  return `unexpected character ${JSON.stringify(ch)}`;
}
