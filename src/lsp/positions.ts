/**
 * LSP position encodings (3.17 `general.positionEncodings`). The language service works in UTF-16 (the
 * TextDocument's offsets); this is the one place where positions from and to a UTF-8 client are converted.
 */
import type { Position, Range } from 'vscode-languageserver/node';

export type PositionEncoding = 'utf-16' | 'utf-8';

/** The first encoding of the client's list (its order of preference) that the server speaks; utf-16 by default. */
export function negotiateEncoding(offered: readonly string[] | undefined): PositionEncoding {
  for (const e of offered ?? []) if (e === 'utf-16' || e === 'utf-8') return e;
  return 'utf-16';
}

/** UTF-8 byte column → UTF-16 column in `line` (clamped to the line; inside a character: its start). */
export function utf8ToUtf16(line: string, bytes: number): number {
  let b = 0;
  let i = 0;
  while (i < line.length) {
    const cp = line.codePointAt(i)!;
    const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (b + len > bytes) break;
    b += len;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** UTF-16 column → UTF-8 byte column in `line`. */
export function utf16ToUtf8(line: string, units: number): number {
  let b = 0;
  for (let i = 0; i < Math.min(units, line.length); ) {
    const cp = line.codePointAt(i)!;
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return b;
}

/** The text of each line of a document (without line breaks), for column conversions. */
export type LinesOf = (uri: string) => ((line: number) => string) | undefined;

export class PositionCodec {
  constructor(readonly encoding: PositionEncoding, private readonly linesOf: LinesOf) {}

  get identity(): boolean {
    return this.encoding === 'utf-16';
  }

  /** A client position in `uri` → the server's (UTF-16) position. */
  toServer(uri: string, p: Position): Position {
    if (this.identity) return p;
    const line = this.linesOf(uri)?.(p.line);
    return line === undefined ? p : { line: p.line, character: utf8ToUtf16(line, p.character) };
  }

  toServerRange(uri: string, r: Range): Range {
    return this.identity ? r : { start: this.toServer(uri, r.start), end: this.toServer(uri, r.end) };
  }

  /**
   * A copy of an LSP result for `uri` with every position converted (the value itself is left alone: it may be
   * kept by the server). Ranges of Locations and workspace edits in other documents use those documents' lines.
   */
  toClient<T>(uri: string, original: T): T {
    if (this.identity || original === null || original === undefined) return original;
    const value = structuredClone(original);
    // structuredClone keeps shared objects shared (completion items share one range): convert each once.
    const seen = new WeakSet<object>();
    const memo = new Map<string, ((line: number) => string) | undefined>();
    const lines = (u: string) => {
      if (!memo.has(u)) memo.set(u, this.linesOf(u));
      return memo.get(u);
    };
    const walk = (v: unknown, docUri: string, depth: number): void => {
      if (!v || typeof v !== 'object' || depth > 32) return;
      if (Array.isArray(v)) {
        for (const x of v) walk(x, docUri, depth + 1);
        return;
      }
      const o = v as Record<string, unknown>;
      if (seen.has(o)) return;
      seen.add(o);
      if (typeof o.line === 'number' && typeof o.character === 'number') {
        const line = lines(docUri)?.(o.line);
        if (line !== undefined) o.character = utf16ToUtf8(line, o.character);
        return;
      }
      const td = o.textDocument as { uri?: unknown } | undefined;
      const own = typeof o.uri === 'string' ? o.uri : typeof o.targetUri === 'string' ? o.targetUri : typeof td?.uri === 'string' ? td.uri : docUri;
      for (const [k, x] of Object.entries(o)) {
        if (k === 'data' || k === 'textDocument') continue; // the server's own offsets; identifiers
        if (k === 'changes' && x && typeof x === 'object' && !Array.isArray(x)) {
          for (const [u, edits] of Object.entries(x as Record<string, unknown>)) walk(edits, u, depth + 1);
        } else walk(x, k === 'originSelectionRange' ? docUri : own, depth + 1);
      }
    };
    walk(value, uri, 0);
    return value;
  }
}
