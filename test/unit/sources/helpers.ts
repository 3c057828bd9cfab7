import { parseMappingText } from '../../../src/engine/mapping/parse';
import type { SourceConfig } from '../../../src/engine/mapping/sourceFromModel';
import { openSource, type OpenSourceOptions } from '../../../src/sources';

/** A mapping around a source.from block (YAML lines, indented by the caller under `from:`). */
export function mappingWith(from: string, extra = ''): string {
  return `scimmap: 1\ntarget: entra\nsource:\n  sample: snap.jsonl\n  key: id\n  from:\n${from
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n${extra}mappings:\n  externalId: id\n  userName: email\n`;
}

export function configOf(from: string): SourceConfig {
  const doc = parseMappingText(mappingWith(from));
  const errs = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errs.length) throw new Error(errs.map((d) => d.message).join('\n'));
  return doc.source!.from!.config!;
}

export function errorsOf(from: string): string[] {
  return parseMappingText(mappingWith(from)).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

export async function collect(config: SourceConfig, opts: Partial<OpenSourceOptions> = {}): Promise<{ records: Record<string, unknown>[]; pages: number }> {
  const records: Record<string, unknown>[] = [];
  let pages = 0;
  for await (const r of openSource(config, { secrets: () => undefined, backoffMs: 1, onPage: (p) => (pages = p.pages), ...opts })) records.push(r.value);
  return { records, pages };
}
