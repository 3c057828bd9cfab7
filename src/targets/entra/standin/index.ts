/** The local Entra stand-in (product feature: rehearse uploads without a tenant). */
export { startStandIn, DEFAULT_JOB_ID, DEFAULT_SP_ID, UPLOAD_ROLES, LOG_ROLES, ALL_ROLES, SYNC_READ_ROLES, SYNC_WRITE_ROLES } from './server';
export type { StandIn, StandInOptions, StandInFaults, StandInStats, StandInClient } from './server';
