import { ReaderError } from './errors';
import { countNewlines } from './text';
import type { SourceRecord } from './types';

const enum State {
  BeforeArray,
  FirstElement, // after '[': an element or ']'
  InElement,
  AfterElement, // ',' or ']'
  NextElement, // after ',': an element
  Done,
}

/**
 * Streams the elements of a top-level JSON array of objects. A small scanner finds where each element
 * ends (tracking strings and nesting) and JSON.parse parses that slice, so memory is bounded by the
 * largest element and every record knows the line it starts on.
 */
export async function* readJsonArray(file: string, text: AsyncIterable<string>, signal?: AbortSignal): AsyncGenerator<SourceRecord> {
  let state = State.BeforeArray as State;
  let line = 1;
  let col = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let elemLine = 0;
  let elemCol = 0;
  let index = 0;
  const fail = (code: string, msg: string, l = line, c = col): never => {
    throw new ReaderError(file, code, msg, l, c);
  };

  for await (const chunk of text) {
    signal?.throwIfAborted();
    let start = state === State.InElement ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (state === State.InElement) {
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === 0x5c) escaped = true;
          else if (ch === 0x22) inString = false;
        } else if (ch === 0x22) inString = true;
        else if (ch === 0x7b || ch === 0x5b) depth++;
        else if (ch === 0x7d || ch === 0x5d) {
          if (--depth === 0) {
            parts.push(chunk.slice(start, i + 1));
            const value = parseElement(file, parts.join(''), index, elemLine, elemCol);
            parts = [];
            state = State.AfterElement;
            yield { index: index++, line: elemLine, value };
          }
        }
      } else if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) {
        // whitespace between tokens
      } else if (state === State.BeforeArray) {
        if (ch === 0x5b) state = State.FirstElement;
        else if (ch === 0x7b) {
          fail('not-an-array', 'the top-level value is an object; expected an array of objects ' +
            '(a file with one object per line is JSONL: name it .jsonl or set the format to jsonl)');
        } else fail('not-an-array', 'expected a JSON array of objects');
      } else if (state === State.FirstElement || state === State.NextElement) {
        if (ch === 0x7b) {
          state = State.InElement;
          depth = 1;
          start = i;
          elemLine = line;
          elemCol = col;
        } else if (ch === 0x5d && state === State.FirstElement) state = State.Done;
        else if (ch === 0x5d) fail('json-syntax', "trailing comma before ']'");
        else fail('not-an-object', `element ${index + 1} is ${describe(chunk, i)}, not an object`);
      } else if (state === State.AfterElement) {
        if (ch === 0x2c) state = State.NextElement;
        else if (ch === 0x5d) state = State.Done;
        else fail('json-syntax', `expected ',' or ']' after element ${index}`);
      } else {
        fail('json-syntax', "unexpected content after the closing ']'");
      }
      if (ch === 0x0a) {
        line++;
        col = 1;
      } else col++;
    }
    if (state === State.InElement) parts.push(chunk.slice(start));
  }
  if (state === State.Done) return;
  if (state === State.BeforeArray) fail('empty-file', 'the file is empty (expected a JSON array of objects)', 1, 1);
  if (state === State.InElement) fail('json-syntax', `element ${index + 1} is not closed before the end of the file`, elemLine, elemCol);
  fail('json-syntax', "the array is not closed: ']' missing at the end of the file");
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
  if (ch === '-' || (ch >= '0' && ch <= '9')) return 'a number';
  if (text.startsWith('true', i) || text.startsWith('false', i)) return 'a boolean';
  if (text.startsWith('null', i)) return 'null';
  return `unexpected character ${JSON.stringify(ch)}`;
}
