/** The SCIM 2.0 service provider target's public surface (node only; shared by the CLI). */
export * from './endpoint';
export * from './client';
export * from './discovery';
export * from './compat';
export * from './users';
export * from './sender';
export * from './auth';
export * from './hosts';
export * from './readiness';
export * from './syncTarget';
export * from './syncSetup';
export * from './bulk';
export * from './lookup';
