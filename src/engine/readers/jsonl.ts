import { ReaderError } from './errors';
import { cleanJsonMessage, depthOverflowAt, jsonErrorPosition, MAX_JSON_DEPTH, MAX_JSON_RECORD_CHARS, tooDeepMessage, type JsonReadOptions } from './json';
import type { SourceRecord } from './types';

/** One JSON object per line; blank lines are skipped. A line is at most maxRecordChars long. */
export async function* readJsonLines(
  file: string,
  text: AsyncIterable<string>,
  opts: Pick<JsonReadOptions, 'signal' | 'maxRecordChars' | 'maxDepth'> = {},
): AsyncGenerator<SourceRecord> {
  const maxChars = opts.maxRecordChars ?? MAX_JSON_RECORD_CHARS;
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  let pending = '';
  let line = 0;
  let index = 0;
  const parseLine = (raw: string): SourceRecord | undefined => {
    line++;
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (s.trim() === '') return undefined;
    const deep = depthOverflowAt(s, maxDepth);
    if (deep >= 0) throw new ReaderError(file, 'too-deep', tooDeepMessage(`record ${index + 1}`, maxDepth), line, deep + 1);
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch (e) {
      const at = jsonErrorPosition(e);
      throw new ReaderError(file, 'json-syntax', `invalid JSON: ${cleanJsonMessage(e)}`, line, at === undefined ? undefined : at + 1);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      throw new ReaderError(file, 'not-an-object', `line is ${kind}, not a JSON object`, line);
    }
    return { index: index++, line, value: value as Record<string, unknown> };
  };

  // `line` counts finished lines, so the one being assembled is line + 1.
  const tooLarge = (): never => {
    throw new ReaderError(file, 'record-too-large', `line is longer than ${maxChars} characters (the limit for one record)`, line + 1);
  };

  for await (const chunk of text) {
    opts.signal?.throwIfAborted();
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      if (pending.length + nl - from > maxChars) tooLarge();
      const rec = parseLine(pending + chunk.slice(from, nl));
      pending = '';
      from = nl + 1;
      if (rec) yield rec;
    }
    // Checked before appending: `pending` never grows past the cap, and an endless line fails once it is too long.
    if (pending.length + chunk.length - from > maxChars) tooLarge();
    pending += chunk.slice(from);
  }
  if (pending !== '') {
    const rec = parseLine(pending);
    if (rec) yield rec;
  }
}
