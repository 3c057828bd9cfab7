/**
 * The hover section "In Entra": which Entra user properties the provisioning app's attribute mappings set from
 * this mapping key's attribute, how (Direct, Constant, expression), and whether always or only on creation.
 * Everything from the schema file is untrusted text: shown in code spans/fences only.
 */
import type { MappingAnalysis } from '../../engine/analysis';
import { sentAttributes } from '../../engine/analysis/appSchema';
import type { MappingEntry } from '../../engine/mapping/model';

/** A code span or fence that no backtick run in the text can close early. */
function code(text: string, block = false): string {
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(block ? 3 : 1, longest + 1));
  return block ? `${fence}\n${clean}\n${fence}` : `${fence} ${clean.replace(/\n/g, ' ')} ${fence}`;
}

export function entraLanding(analysis: MappingAnalysis, entry: MappingEntry): string | undefined {
  const model = analysis.app?.model;
  if (!model) return undefined;
  const resolved = analysis.targets.resolved.find((r) => r.entry === entry);
  if (!resolved) return undefined;
  const [sent] = sentAttributes([resolved], model);
  if (!sent.definition) return `**In Entra:** ignored — ${code(sent.name)} is not in the provisioning app's source attribute list.`;
  if (!sent.usedBy.length) return `**In Entra:** arrives as ${code(sent.name)} (${sent.definition.type}) but sets nothing: no attribute mapping reads it.`;
  const lines = sent.usedBy.slice(0, 10).map((m) => {
    const how = m.kind === 'Direct' ? 'Direct' : m.kind === 'Constant' ? `Constant ${code(m.text)}` : `Expression\n\n${code(m.text.length > 500 ? `${m.text.slice(0, 500)}…` : m.text, true)}`;
    const when = m.onCreateOnly ? 'only when the user is created' : 'always';
    const matching = m.matchingPriority > 0 ? ' — matching attribute' : '';
    return `- sets ${code(m.target)} — ${how}\n\n  applies ${when}${matching}`;
  });
  return `**In Entra** (from ${code(sent.name)}):\n\n${lines.join('\n')}`;
}
