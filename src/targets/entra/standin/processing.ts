/**
 * Entra-like processing of accepted operations into provisioning-log entries (provisioningObjectSummary):
 * match by externalId (create, else update; `active:false` disables), resolve the manager by externalId among the
 * records known to the job, check the userName's domain against the verified domains.
 */
import { randomUUID } from 'node:crypto';
import { appModel, AppModel, SynchronizationSchema } from '../app/schema';
import { computeEntraUser, EntraUser } from '../app/entraUser';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface StandInUser {
  objectId: string;
  externalId: string;
  userName?: string;
  displayName?: string;
  accountEnabled: boolean;
  managerExternalId?: string;
  /** Entra properties the app's attribute mappings set, as the logs show them. */
  properties: Record<string, string>;
}

export type JobStatusCode = 'Active' | 'Paused' | 'Quarantine' | 'NotRun';

export interface JobState {
  users: Map<string, StandInUser>;
  /** Every externalId the job has received (across uploads), for manager resolution. */
  known: Set<string>;
  /** The provisioning app's synchronizationSchema: its attribute mappings decide what reaches the user. */
  schema: SynchronizationSchema;
  /** Paused and quarantined jobs stage uploads without processing them. */
  status: JobStatusCode;
  lastExecution?: { timeBegan: string; timeEnded: string; state: string };
  /** When the job was last started again: staged operations are processed from then on. */
  resumedAt?: number;
}

export interface ProcessingConfig {
  verifiedDomains: string[];
  unverifiedDomainErrorCode: string;
}

type Status = 'success' | 'warning' | 'failure' | 'skipped';
interface Step {
  name: string;
  provisioningStepType: string;
  status: Status;
  description: string;
  details: Record<string, string>;
}

function step(type: string, status: Status, description: string): Step {
  return { name: `${type[0]!.toUpperCase()}${type.slice(1)}`, provisioningStepType: type, status, description, details: {} };
}

export interface PendingOperation {
  jobId: string;
  servicePrincipalId: string;
  cycleId: string;
  data: Record<string, unknown>;
}

export function processOperation(job: JobState, op: PendingOperation, cfg: ProcessingConfig, at: Date): Record<string, unknown> {
  const d = op.data;
  const externalId = String(d.externalId);
  const userName = typeof d.userName === 'string' ? d.userName : undefined;
  const existing = job.users.get(externalId);
  // A minimal update (a sync's disable: externalId and active only) leaves the other attributes as they were.
  const displayName = typeof d.displayName === 'string' ? d.displayName : userName ?? existing?.displayName ?? existing?.userName ?? externalId;
  let model: AppModel | undefined;
  try {
    model = appModel(job.schema);
  } catch {
    model = undefined; // a schema without an API → User mapping: nothing maps; keep the built-in behaviour
  }
  const entra = model ? computeEntraUser(d, model, { creating: !existing, now: () => at.getTime() }) : undefined;
  const computedEnabled = entra?.properties.find((p) => p.target === 'accountEnabled' && p.outcome.kind === 'value');
  const active = computedEnabled && computedEnabled.outcome.kind === 'value'
    ? computedEnabled.outcome.value === true || String(computedEnabled.outcome.value).toLowerCase() === 'true'
    : d.active === undefined ? true : d.active === true || d.active === 'true' || d.active === 'True';
  const ent = (d[ENTERPRISE] ?? {}) as { manager?: { value?: unknown } };
  const managerId = ent.manager && ent.manager.value != null && ent.manager.value !== '' ? String(ent.manager.value) : undefined;
  const wasEnabled = existing?.accountEnabled;

  const importStep = step('import', 'success', `Received User '${externalId}' change of type (Entry) from API`);
  if (entra?.dropped.length) importStep.details = { droppedAttributes: entra.dropped.join(', '), reason: "not in the provisioning app's source attribute list" };
  const steps: Step[] = [
    importStep,
    step('scoping', 'success', `User '${externalId}' is in scope`),
    step('matching', 'success', existing ? `User '${externalId}' was found in Microsoft Entra ID (employeeId)` : `User '${externalId}' was not found in Microsoft Entra ID`),
  ];
  let action: string = existing ? (existing.accountEnabled && !active ? 'disable' : 'update') : 'create';
  steps.push(step('processing', 'success', `Determined that User '${externalId}' should be ${action === 'create' ? 'created' : action === 'disable' ? 'disabled' : 'updated'}`));

  let status: Status = 'success';
  let modified: Array<{ displayName: string; oldValue: string | null; newValue: string | null }> | undefined;
  let error: Record<string, string> | null = null;
  const domain = userName?.includes('@') ? userName.split('@').pop()!.toLowerCase() : undefined;
  const verified = cfg.verifiedDomains.map((x) => x.toLowerCase());
  const domainOk = userName === undefined || verified.includes('*') || (domain !== undefined && verified.includes(domain));

  let managerResolved = true;
  if (managerId !== undefined) {
    managerResolved = job.known.has(managerId) && managerId !== externalId;
    steps.push(
      managerResolved
        ? step('referenceResolution', 'success', `Resolved manager '${managerId}'`)
        : step('referenceResolution', 'failure', `Failed to resolve the reference attribute 'manager': no user with externalId '${managerId}' is known to this job`),
    );
  }

  if (!domainOk) {
    status = 'failure';
    steps.push(step('export', 'failure', `Failed to ${action} User '${externalId}': the domain of userName '${userName}' is not a verified domain of the tenant`));
    error = {
      errorCode: cfg.unverifiedDomainErrorCode,
      errorCategory: 'NonServiceFailure',
      reason: `The domain portion of the userPrincipalName '${userName}' is not one of the verified domains of the tenant (${cfg.verifiedDomains.join(', ') || 'none'}).`,
      additionalDetails: `Verified domains: ${cfg.verifiedDomains.join(', ')}`,
      recommendedAction: 'Use a verified domain in userName (check the mapping of userName), or verify the domain in the tenant.',
    };
  } else {
    const user: StandInUser = existing ?? { objectId: randomUUID(), externalId, accountEnabled: active, properties: {} };
    user.userName = userName ?? user.userName;
    user.displayName = displayName;
    user.accountEnabled = active;
    if (managerId !== undefined && managerResolved) user.managerExternalId = managerId;
    if (entra) modified = applyProperties(user, entra, managerResolved);
    job.users.set(externalId, user);
    steps.push(step('export', 'success', `User '${externalId}' was ${action === 'create' ? 'created' : action === 'disable' ? 'disabled' : 'updated'} in Microsoft Entra ID`));
    if (!managerResolved) {
      status = 'failure';
      error = {
        errorCode: 'UnableToResolveReferenceAttributeValue',
        errorCategory: 'NonServiceFailure',
        reason: `Unable to resolve the value of the reference attribute 'manager': no user with externalId '${managerId}' is known to this provisioning job.`,
        additionalDetails: `manager.value '${managerId}'`,
        recommendedAction: "manager.value must be the manager's externalId; upload the manager's record (in this or an earlier upload) and send this record again.",
      };
    }
  }
  if (!domainOk && !existing) action = 'create';
  const user = job.users.get(externalId);
  const statusInfo = { '@odata.type': '#microsoft.graph.statusBase', status, errorInformation: error };
  return {
    id: randomUUID(),
    activityDateTime: at.toISOString(),
    jobId: op.jobId,
    cycleId: op.cycleId,
    changeId: randomUUID(),
    durationInMilliseconds: 120 + Math.floor(Math.random() * 400),
    provisioningAction: action,
    initiatedBy: { id: '', displayName: 'Microsoft Entra ID (stand-in)', initiatingType: 'system' },
    servicePrincipal: { id: op.servicePrincipalId, displayName: 'API-driven provisioning (SCIM Mapper stand-in)' },
    sourceSystem: { id: 'API', displayName: 'API', details: {} },
    targetSystem: { id: 'EntraID', displayName: 'Entra ID', details: {} },
    sourceIdentity: { id: externalId, displayName, identityType: 'User', details: {} },
    targetIdentity: { id: user?.objectId ?? '', displayName, identityType: 'User', details: user?.userName ? { UserPrincipalName: user.userName } : {} },
    modifiedProperties: modified ?? [
      { displayName: 'accountEnabled', oldValue: wasEnabled === undefined ? null : String(wasEnabled), newValue: String(active) },
      ...(userName ? [{ displayName: 'userPrincipalName', oldValue: null, newValue: userName }] : []),
      ...(managerId ? [{ displayName: 'manager', oldValue: null, newValue: managerId }] : []),
    ],
    provisioningSteps: steps,
    provisioningStatusInfo: statusInfo,
  };
}

/**
 * Sets the computed Entra properties on the user and returns them as modifiedProperties (Entra names, old and new
 * values; Redact() shows "[Redact]"). Values Entra would compute from its own state (SelectUniqueValue, app roles)
 * are left out: the stand-in has no directory to check them against.
 */
function applyProperties(user: StandInUser, entra: EntraUser, managerResolved: boolean): Array<{ displayName: string; oldValue: string | null; newValue: string | null }> {
  const out: Array<{ displayName: string; oldValue: string | null; newValue: string | null }> = [];
  for (const p of entra.properties) {
    if (p.outcome.kind !== 'value') continue;
    if (p.target === 'manager' && !managerResolved) continue;
    const v = p.outcome.value;
    const text = typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
    const old = user.properties[p.target];
    if (old === text) continue;
    user.properties[p.target] = text;
    out.push({ displayName: p.target, oldValue: old === undefined ? null : p.outcome.redacted ? '[Redact]' : old, newValue: p.outcome.redacted ? '[Redact]' : text });
  }
  return out;
}
