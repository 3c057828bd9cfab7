/** Document links: `source.sample`, extension schema files and the saved app schema / server discovery open in the editor. */
import * as path from 'node:path';
import { DocumentLink, Range } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { Located } from '../../engine/mapping/model';
import type { FeatureContext } from '../context';
import { pathFormRefusal } from '../../engine/files/boundedReader';

export function doDocumentLinks(ctx: FeatureContext): DocumentLink[] {
  const a = ctx.analysis;
  const base = a.baseDir ?? baseDirOf(ctx.document.uri);
  if (!base) return [];
  const text = ctx.document.getText();
  const out: DocumentLink[] = [];
  const link = (v: Located<string> | undefined, tooltip: string) => {
    // No link to a UNC, device or file: path: following it would reach another machine (file-refused says why).
    if (!v || !v.value.trim() || pathFormRefusal(v.value)) return;
    let { start, end } = v;
    // Keep the link on the path, not on its quotes.
    if ((text[start] === '"' || text[start] === "'") && text[end - 1] === text[start] && end - start >= 2) {
      start++;
      end--;
    }
    let target: string;
    try {
      target = URI.file(path.resolve(base, v.value)).toString();
    } catch {
      return; // a path with a lone surrogate cannot be percent-encoded (URIError): no link
    }
    out.push({ range: Range.create(ctx.document.positionAt(start), ctx.document.positionAt(end)), target, tooltip });
  };
  link(a.doc.source?.sample, 'Open the sample file');
  link(a.doc.app, "Open the provisioning app's saved schema");
  link(a.doc.server, "Open the SCIM server's saved discovery");
  for (const e of a.doc.extensions) if (e.kind === 'file') link(e.file, `Open the schema of ${e.urn.value}`);
  return out;
}

function baseDirOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? path.dirname(u.fsPath) : undefined;
  } catch {
    return undefined;
  }
}
