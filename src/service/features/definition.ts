/**
 * Go to definition: from a field in an expression to its column in the sample's CSV header or its first key in
 * a JSON/JSONL sample; from `$name` to its `let` binding.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Location, Position, Range } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { openChecked } from '../../engine/files/boundedReader';
import type { FeatureContext } from '../context';
import { expressionAt, toValueOffset } from './locate';

const HEAD_BYTES = 64 * 1024;

export function doDefinition(ctx: FeatureContext, position: Position): Location | null {
  const offset = ctx.document.offsetAt(position);
  const hit = expressionAt(ctx, offset);
  if (!hit) return null;
  const { source, facts } = hit.expression;
  const i = toValueOffset(source, offset);
  const inside = (s: number, e: number) => s <= i && i < e;
  for (const use of [...facts.variables, ...facts.calls]) {
    if (!inside(use.start, use.end) || facts.bound.has(use.name)) continue;
    const l = ctx.analysis.lets.find((x) => x.binding.name.value === use.name);
    if (!l) return null;
    const n = l.binding.name;
    return Location.create(ctx.document.uri, Range.create(ctx.document.positionAt(n.start), ctx.document.positionAt(n.end)));
  }
  for (const ref of facts.fields) {
    const k = ref.segments.findIndex((s) => s.start >= 0 && inside(s.start, s.end));
    if (k < 0) continue;
    return sampleLocation(ctx, ref.segments.slice(0, k + 1).map((s) => s.name));
  }
  return null;
}

function readHead(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openChecked(file, 'sample').fd; // never a FIFO or device: this runs on the server's main thread
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function sampleLocation(ctx: FeatureContext, names: string[]): Location | null {
  const file = ctx.analysis.samplePath;
  if (!file || !names.length) return null;
  const text = readHead(file);
  if (text === undefined) return null;
  const format = ctx.analysis.doc.source?.format?.value ?? (/\.csv$/i.test(file) ? 'csv' : /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : path.extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  const uri = URI.file(file).toString();
  const at = (line: number, col: number, len: number) => Location.create(uri, Range.create(line, col, line, col + len));
  if (format === 'csv') {
    const header = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    const bom = text.startsWith('\uFEFF') ? 1 : 0;
    const delimiter = ctx.analysis.doc.source?.delimiter?.value ?? detectDelimiter(header);
    for (const cell of csvCells(header, delimiter)) if (cell.name === names[0]) return at(0, cell.start + bom, cell.length);
    return null;
  }
  // JSON/JSONL: the first occurrence of each key in turn approximates the path's first appearance.
  let from = 0;
  let found = -1;
  let len = 0;
  for (const n of names) {
    let m: RegExpExecArray | null;
    try {
      const re = new RegExp(`${escapeRe(JSON.stringify(n))}\\s*:`, 'g');
      re.lastIndex = from;
      m = re.exec(text);
    } catch {
      return null; // V8 refuses a pattern for a pasted 100 KB name ("too large", at exec); it is in no sample anyway
    }
    if (!m) return found >= 0 ? toLocation() : null;
    found = m.index;
    len = JSON.stringify(n).length;
    from = m.index + m[0].length;
  }
  return toLocation();

  function toLocation(): Location {
    const before = text!.slice(0, found);
    const line = before.split('\n').length - 1;
    const col = found - (before.lastIndexOf('\n') + 1);
    return at(line, col, len);
  }
}

function detectDelimiter(header: string): string {
  let best = ',';
  let count = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = header.split(d).length - 1;
    if (n > count) {
      best = d;
      count = n;
    }
  }
  return best;
}

function csvCells(line: string, delimiter: string): { name: string; start: number; length: number }[] {
  const out: { name: string; start: number; length: number }[] = [];
  let i = 0;
  while (i <= line.length) {
    const start = i;
    let name = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') { name += '"'; i += 2; continue; }
        if (line[i] === '"') { i++; break; }
        name += line[i++];
      }
      while (i < line.length && line[i] !== delimiter) i++;
    } else {
      while (i < line.length && line[i] !== delimiter) name += line[i++];
    }
    out.push({ name: name.trim(), start, length: i - start });
    i++;
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
