/**
 * Graph calls for the provisioning app: read and write its synchronizationSchema, read the job, start / pause /
 * restart it. Every call goes through the upload client's graphRequest (origin-pinned, no redirects, redacted)
 * with URLs built from the bulkUpload endpoint the user gave. A 403 names the permission the call needs.
 */
import { graphRequest, GraphResponse } from '../upload/graphClient';
import type { UploadEndpoint } from '../upload/endpoint';
import type { TokenProvider } from '../../../delivery/types';
import { AppSchemaError, checkAppSchema, SynchronizationSchema } from './schema';

export const READ_PERMISSION = 'Synchronization.Read.All';
export const WRITE_PERMISSION = 'Synchronization.ReadWrite.All';

export class AppGraphError extends Error {
  override name = 'AppGraphError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export function jobUrl(ep: UploadEndpoint, suffix = ''): string {
  return `${ep.origin}/${ep.version}/servicePrincipals/${encodeURIComponent(ep.servicePrincipalId)}/synchronization/jobs/${encodeURIComponent(ep.jobId)}${suffix}`;
}

export interface JobStatus {
  code: string;
  quarantine: { reason?: string; currentBegan?: string } | null;
  lastExecution?: { timeBegan?: string; timeEnded?: string; state?: string } | null;
  scheduleState?: string;
}

async function call(ep: UploadEndpoint, tokens: TokenProvider, method: 'GET' | 'POST' | 'PUT', url: string, what: string, write: boolean, body?: string): Promise<GraphResponse> {
  let token = await tokens.getToken();
  let res = await graphRequest(ep, url, { method, token, body, contentType: 'application/json' });
  if (res.status === 401) {
    token = await tokens.getToken(true);
    res = await graphRequest(ep, url, { method, token, body, contentType: 'application/json' });
  }
  if (res.status >= 200 && res.status < 300) return res;
  const permission = write ? WRITE_PERMISSION : READ_PERMISSION;
  const detail = res.error ? `${res.error.code}: ${res.error.message}` : `HTTP ${res.status}`;
  if (res.status === 403) throw new AppGraphError(`${what} was refused (403 ${detail}): the app needs the Graph application permission ${permission}${write ? '' : ` (or ${WRITE_PERMISSION})`}, with admin consent`, 403);
  if (res.status === 401) throw new AppGraphError(`${what} failed: the token was not accepted (${detail})`, 401);
  if (res.status === 404) throw new AppGraphError(`${what} failed: no such service principal or job (${detail}); check the endpoint`, 404);
  throw new AppGraphError(`${what} failed: ${detail}${res.requestId ? ` (request-id ${res.requestId})` : ''}`, res.status);
}

export async function getAppSchema(ep: UploadEndpoint, tokens: TokenProvider): Promise<SynchronizationSchema> {
  const res = await call(ep, tokens, 'GET', jobUrl(ep, '/schema'), 'Reading the provisioning app schema', false);
  try {
    const raw = JSON.parse(res.text) as Record<string, unknown>;
    delete raw['@odata.context'];
    return checkAppSchema(raw);
  } catch (e) {
    throw new AppGraphError(`Graph returned a schema SCIM Mapper cannot read: ${e instanceof AppSchemaError ? e.message : 'not JSON'}`);
  }
}

/** PUT replaces the whole schema: callers send the complete schema they read, changed (read-modify-write). */
export async function putAppSchema(ep: UploadEndpoint, tokens: TokenProvider, schema: SynchronizationSchema): Promise<void> {
  await call(ep, tokens, 'PUT', jobUrl(ep, '/schema'), 'Writing the provisioning app schema', true, JSON.stringify(schema));
}

export async function getJobStatus(ep: UploadEndpoint, tokens: TokenProvider): Promise<JobStatus> {
  const res = await call(ep, tokens, 'GET', jobUrl(ep), 'Reading the provisioning job', false);
  let j: { status?: { code?: unknown; quarantine?: unknown; lastExecution?: unknown }; schedule?: { state?: unknown } };
  try {
    j = JSON.parse(res.text);
  } catch {
    throw new AppGraphError('Graph returned a job SCIM Mapper cannot read (not JSON)');
  }
  return {
    code: typeof j.status?.code === 'string' ? j.status.code : 'Unknown',
    quarantine: (j.status?.quarantine as JobStatus['quarantine']) ?? null,
    lastExecution: (j.status?.lastExecution as JobStatus['lastExecution']) ?? null,
    scheduleState: typeof j.schedule?.state === 'string' ? j.schedule.state : undefined,
  };
}

export type JobAction = 'start' | 'pause' | 'restart';

export async function jobAction(ep: UploadEndpoint, tokens: TokenProvider, action: JobAction): Promise<void> {
  const body = action === 'restart' ? JSON.stringify({ criteria: { resetScope: 'Full' } }) : undefined;
  await call(ep, tokens, 'POST', jobUrl(ep, `/${action}`), `${action[0].toUpperCase()}${action.slice(1)}ing the provisioning job`, true, body);
}

/** The warning before an upload or sync: records sent to a job that is not running are staged, not processed. */
export function jobWarning(status: JobStatus): string | undefined {
  if (status.code === 'Paused' || status.scheduleState === 'Disabled') {
    return 'The provisioning job is paused: records will be staged but not processed until it is started (scimmap app start)';
  }
  if (status.code === 'Quarantine' || status.quarantine) {
    return `The provisioning job is in quarantine${status.quarantine?.reason ? ` (${status.quarantine.reason})` : ''}: records will be staged but not processed until it is fixed and restarted (scimmap app restart); a missing notification e-mail is a common cause`;
  }
  return undefined;
}
