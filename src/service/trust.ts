/**
 * Workspace trust on the server side. A repository opened in VS Code's Restricted Mode is analysed statically
 * only: no sample file is read (so no sample checks, preview or export), and the files a mapping names (extension
 * schemas) are read only when they lie inside a workspace folder, symlinks resolved. Other editors get full
 * features unless their client says the workspace is untrusted (`initializationOptions.workspaceTrusted: false`).
 * Pure: no LSP transport.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FileHost } from '../engine/analysis/host';
import { pathFormRefusal } from '../engine/files/boundedReader';
import type { EngineDiagnostic } from '../engine/types';
import type { MappingAnalysis } from '../engine/analysis';

export const RESTRICTED_MODE_NOTE =
  'Restricted Mode: the sample is not read, so sample checks, inline values and the preview are off, and files outside the workspace folders are not read. Trust this workspace to turn them on.';

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export class WorkspaceTrust {
  private roots: string[] = [];

  constructor(
    public trusted = true,
    folders: readonly string[] = [],
  ) {
    this.setFolders(folders);
  }

  setFolders(folders: readonly string[]): void {
    this.roots = folders.map((f) => resolve(f));
  }

  /** From the LSP initialize params: untrusted only when the client says so. */
  configure(initializationOptions: unknown, folders: readonly string[]): void {
    const o = initializationOptions as { workspaceTrusted?: unknown } | null | undefined;
    this.trusted = o?.workspaceTrusted !== false;
    this.setFolders(folders);
  }

  /**
   * May the server read this file? Always when trusted. Untrusted: only inside a workspace folder — checked on the
   * path as written first (so a path elsewhere is never touched, not even by realpath), then with symlinks resolved.
   */
  mayRead(path: string): boolean {
    if (this.trusted) return true;
    const abs = resolve(path);
    if (!this.roots.some((r) => inside(r, abs))) return false;
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return false;
    }
    return this.roots.some((r) => {
      try {
        return inside(realpathSync(r), real);
      } catch {
        return false;
      }
    });
  }

  /** A FileHost that applies `mayRead`. `exists` answers true for a refused path: we do not look, and say so instead. */
  host(base: FileHost): FileHost {
    return {
      readText: (p, kind) => (this.mayRead(p) ? base.readText(p, kind) : undefined),
      exists: (p) => (this.mayRead(p) ? base.exists(p) : !this.trusted),
      // The bounded reader's refusals (file-refused); a UNC or device path is refused from its text alone, untrusted too.
      refusal: (p, kind) => (this.mayRead(p) || pathFormRefusal(p) ? base.refusal?.(p, kind) : undefined),
    };
  }

  /** The information diagnostic on `source.sample` that says why sample checks are missing (Restricted Mode only). */
  note(analysis: MappingAnalysis): EngineDiagnostic | undefined {
    const sample = analysis.doc.source?.sample;
    if (this.trusted || !sample) return undefined;
    return { code: 'restricted-mode', severity: 'information', message: RESTRICTED_MODE_NOTE, start: sample.start, end: sample.end };
  }
}
