/**
 * Markdown and one-line details shared by completion and hover, so both say the same thing the same way.
 * Names, descriptions and values can come from a repository's schema files and samples: they go through
 * markdown.ts (escaped text, code spans, code blocks); only the catalog's and our own notes are Markdown.
 */
import type { BuiltinFunction } from '../../engine/jsonata/catalog';
import { signatureLabel } from '../../engine/jsonata/catalog';
import type { FieldInfo } from '../../engine/readers';
import type { ScimAttribute, ScimSchema } from '../../engine/scim/schema';
import { codeBlock, codeSpan, escapeMarkdown } from './markdown';

/** `string · multi-valued · required · readWrite` */
export function attributeDetail(a: ScimAttribute): string {
  return [a.type, a.multiValued ? 'multi-valued' : 'single-valued', a.required ? 'required' : 'optional', a.mutability].join(' · ');
}

export function attributeMarkdown(a: ScimAttribute, owner?: string, schema?: ScimSchema): string {
  const name = `${owner ? `${owner}.` : ''}${a.name}`;
  const out = [`**${escapeMarkdown(name)}** — ${codeSpan(attributeDetail(a))}`, '', escapeMarkdown(a.description ?? '')];
  if (a.canonicalValues?.length) out.push('', `Canonical values: ${a.canonicalValues.map((v) => codeSpan(v)).join(', ')}`);
  if (a.subAttributes?.length) out.push('', `Sub-attributes: ${a.subAttributes.map((s) => codeSpan(s.name)).join(', ')}`);
  if (a.uniqueness !== 'none') out.push('', `Unique across users (${escapeMarkdown(a.uniqueness)}).`);
  if (a.entra) out.push('', `**Entra:** ${a.entra}`); // our own notes (engine/scim), never from a schema file
  if (schema) out.push('', `Schema: ${codeSpan(schema.id)}`);
  return out.join('\n');
}

export function schemaMarkdown(s: ScimSchema): string {
  return [`**${escapeMarkdown(s.name ?? s.id)}**`, '', codeSpan(s.id), '', escapeMarkdown(s.description ?? ''), '', `Attributes: ${s.attributes.map((a) => codeSpan(a.name)).join(', ')}`].join('\n');
}

export function functionMarkdown(f: BuiltinFunction): string {
  const out = ['```jsonata', signatureLabel(f), '```', f.summary];
  if (f.details) out.push('', f.details);
  if (f.params.length) out.push('', f.params.map((p) => `- \`${p.name}\`${p.optional ? ' (optional)' : ''}: ${p.type}`).join('\n'));
  out.push('', `Returns: ${f.returns}`);
  if (f.example) out.push('', 'Example:', '```jsonata', f.example, '```');
  return out.join('\n');
}

/** Snippet `\$join(${1:array}, ${2:separator})` (the `$` escaped: `$join` alone would be a snippet variable). */
export function functionSnippet(f: BuiltinFunction): string {
  return `\\$${f.name}(${f.params.map((p, i) => `\${${i + 1}:${p.name}}`).join(', ')})`;
}

export function showValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function fieldDetail(f: FieldInfo): string {
  const ex = f.examples[0];
  return `${f.types.join(' | ')}${ex !== undefined ? ` · e.g. ${truncate(showValue(ex), 30)}` : ''}`;
}

export function fieldMarkdown(f: FieldInfo): string {
  const total = f.present + f.empty;
  const out = [`**${escapeMarkdown(f.path)}** — sample field`, '', `Types seen: ${f.types.map((t) => codeSpan(t)).join(', ')}`];
  if (f.examples.length) out.push('', `Examples: ${f.examples.slice(0, 3).map((e) => codeSpan(truncate(showValue(e), 200))).join(', ')}`);
  out.push('', f.empty === 0 ? `Has a value in all ${total} sample records.` : `Empty in ${f.empty} of ${total} sample records (the attribute is then omitted).`);
  return out.join('\n');
}

/** A `let` binding's text as a JSONata code block (its fence cannot be closed from inside). */
export function letCodeBlock(text: string, max: number): string {
  return codeBlock(truncate(text.trim(), max), 'jsonata');
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s;
}
