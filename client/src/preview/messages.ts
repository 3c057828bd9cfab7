// Messages between the preview panel (extension host) and its webview script (media/preview.js).
import type { PreviewData } from '../languageServer';

export type ToWebview =
  | { type: 'loading'; file: string }
  | { type: 'update'; file: string; data: PreviewData }
  | { type: 'error'; file?: string; message: string }
  /** Filter the record list (from a diagnostic: the records it counts). */
  | { type: 'filter'; failingOnly: boolean; attribute?: string; code?: string; label?: string }
  /** One BulkRequest, whole, as the export would write it. */
  | { type: 'bulkRequest'; index: number; json: string; operations: number };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'select'; index: number }
  | { type: 'export' }
  | { type: 'bulkRequest'; index: number }
  | { type: 'copyBulkRequest'; index: number }
  | { type: 'send'; indexes: number[] };

const MAX_SEND = 10_000;

/** Webview messages are untrusted input: accept only the known shapes. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const x = m as Record<string, unknown>;
  if (x.type === 'ready' || x.type === 'export') return { type: x.type };
  const isIndex = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
  if (x.type === 'select' && isIndex(x.index)) return { type: 'select', index: x.index };
  if ((x.type === 'bulkRequest' || x.type === 'copyBulkRequest') && isIndex(x.index)) return { type: x.type, index: x.index };
  if (x.type === 'send' && Array.isArray(x.indexes) && x.indexes.length <= MAX_SEND && x.indexes.every(isIndex)) return { type: 'send', indexes: x.indexes as number[] };
  return undefined;
}
