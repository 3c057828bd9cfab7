/**
 * `scimmap app push`: the read-modify-write change to the app's schema. Adds the source attributes the mapping
 * sends that the app lacks (types from our schema), and optionally Direct attribute mappings to Entra properties,
 * to the schema read just before; everything else is sent back unchanged (the PUT replaces the whole schema).
 */
import { attributeDefinition } from './defaultSchema';
import { appModel, AttributeDefinition, AttributeMapping, SynchronizationSchema } from './schema';

export interface PushRequest {
  /** Source attributes to add: name as the app names it, app type. */
  attributes: { name: string; type: string }[];
  /** Direct mappings to add: source attribute → Entra property. */
  mappings?: { source: string; target: string }[];
}

export interface PushPlan {
  schema: SynchronizationSchema;
  addedAttributes: AttributeDefinition[];
  addedMappings: AttributeMapping[];
  /** Requested mappings not added, with why (the target is already mapped …). */
  skipped: string[];
}

export function planPush(current: SynchronizationSchema, request: PushRequest): PushPlan {
  const schema = structuredClone(current);
  const model = appModel(schema);
  const addedAttributes: AttributeDefinition[] = [];
  const addedMappings: AttributeMapping[] = [];
  const skipped: string[] = [];
  const have = new Set(model.sourceObject.attributes.map((a) => a.name.toLowerCase()));
  for (const a of request.attributes) {
    if (have.has(a.name.toLowerCase())) continue;
    const def = attributeDefinition(a.name, a.type);
    model.sourceObject.attributes.push(def);
    addedAttributes.push(def);
    have.add(a.name.toLowerCase());
  }
  for (const m of request.mappings ?? []) {
    if (!have.has(m.source.toLowerCase())) {
      skipped.push(`${m.source} → ${m.target}: ${m.source} is not in the source attribute list`);
      continue;
    }
    const existing = model.objectMapping.attributeMappings.find((x) => x.targetAttributeName.toLowerCase() === m.target.toLowerCase());
    if (existing) {
      skipped.push(`${m.source} → ${m.target}: ${m.target} is already set by ${existing.source?.expression ?? existing.source?.name ?? 'another mapping'}`);
      continue;
    }
    const mapping: AttributeMapping = {
      defaultValue: null, exportMissingReferences: false, flowBehavior: 'FlowWhenChanged', flowType: 'Always', matchingPriority: 0,
      targetAttributeName: m.target, source: { expression: `[${m.source}]`, name: m.source, parameters: [], type: 'Attribute' },
    };
    model.objectMapping.attributeMappings.push(mapping);
    addedMappings.push(mapping);
  }
  return { schema, addedAttributes, addedMappings, skipped };
}

export function describePlan(plan: PushPlan, directory: string): string {
  const lines: string[] = [];
  for (const a of plan.addedAttributes) lines.push(`+ attribute ${a.name} (${a.type}) in the source attribute list of '${directory}'`);
  for (const m of plan.addedMappings) lines.push(`+ mapping [${m.source?.name}] → ${m.targetAttributeName} (Direct, always)`);
  for (const s of plan.skipped) lines.push(`  not added: ${s}`);
  return lines.join('\n');
}
