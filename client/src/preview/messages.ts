// Messages between the preview panel (extension host) and its webview script (media/preview.js).
import type { PreviewData } from '../languageServer';

export type ToWebview =
  | { type: 'loading'; file: string }
  | { type: 'update'; file: string; data: PreviewData }
  | { type: 'error'; file?: string; message: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'select'; index: number }
  | { type: 'export' };

/** Webview messages are untrusted input: accept only the known shapes. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const x = m as Record<string, unknown>;
  if (x.type === 'ready' || x.type === 'export') return { type: x.type };
  if (x.type === 'select' && Number.isInteger(x.index) && (x.index as number) >= 0) return { type: 'select', index: x.index as number };
  return undefined;
}
