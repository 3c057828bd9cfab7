/** Signature help inside `$fn(` calls: built-in functions and `let` bindings that are lambdas. */
import { MarkupKind, ParameterInformation, Position, SignatureHelp, SignatureInformation } from 'vscode-languageserver-types';
import { builtin } from '../../engine/jsonata/catalog';
import type { FeatureContext } from '../context';
import { functionMarkdown } from './describe';
import { openCall, scanPrefix } from './jsonataScan';
import { placeAt } from './yamlContext';

export function doSignatureHelp(ctx: FeatureContext, position: Position): SignatureHelp | null {
  const place = placeAt(ctx.document.getText(), ctx.document.offsetAt(position));
  if (place.kind !== 'value' || place.parents.length !== 1 || (place.parents[0] !== 'mappings' && place.parents[0] !== 'let')) return null;
  const scan = scanPrefix(place.prefix);
  if (scan.inert) return null;
  const call = openCall(place.prefix, scan);
  if (!call) return null;
  const f = builtin(call.name);
  let signature: SignatureInformation | undefined;
  if (f) {
    signature = build(`$${f.name}`, f.params.map((p) => ({ label: p.optional ? `${p.name}?` : p.name, doc: p.type })));
    signature.documentation = { kind: MarkupKind.Markdown, value: functionMarkdown(f) };
  } else {
    const l = ctx.analysis.lets.find((x) => x.binding.name.value === call.name);
    const ast = l?.expression.compiled.ast;
    if (!l || ast?.type !== 'lambda') return null;
    const params = ((ast.arguments ?? []) as { value: string }[]).map((a) => ({ label: `$${a.value}` }));
    signature = build(`$${call.name}`, params);
    signature.documentation = `Defined under let: ${call.name}`;
  }
  const count = signature.parameters?.length ?? 0;
  return { signatures: [signature], activeSignature: 0, activeParameter: count ? Math.min(call.argument, count - 1) : 0 };
}

function build(name: string, params: { label: string; doc?: string }[]): SignatureInformation {
  let label = `${name}(`;
  const parameters: ParameterInformation[] = [];
  params.forEach((p, i) => {
    if (i) label += ', ';
    parameters.push({ label: [label.length, label.length + p.label.length], documentation: p.doc });
    label += p.label;
  });
  label += ')';
  return { label, parameters };
}
