import { ReaderError } from './errors';
import { cleanJsonMessage, jsonErrorPosition } from './json';
import type { SourceRecord } from './types';

/** One JSON object per line; blank lines are skipped. */
export async function* readJsonLines(file: string, text: AsyncIterable<string>, signal?: AbortSignal): AsyncGenerator<SourceRecord> {
  let pending = '';
  let line = 0;
  let index = 0;
  const parseLine = (raw: string): SourceRecord | undefined => {
    line++;
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (s.trim() === '') return undefined;
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

  for await (const chunk of text) {
    signal?.throwIfAborted();
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
      const rec = parseLine(pending + chunk.slice(from, nl));
      pending = '';
      from = nl + 1;
      if (rec) yield rec;
    }
    pending += chunk.slice(from);
  }
  if (pending !== '') {
    const rec = parseLine(pending);
    if (rec) yield rec;
  }
}
