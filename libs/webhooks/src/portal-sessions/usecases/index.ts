export * from './create-portal-session/create-portal-session.command';
export * from './create-portal-session/create-portal-session.usecase';
export * from './open-portal-session/open-portal-session.command';
export * from './open-portal-session/open-portal-session.usecase';
export * from './revoke-portal-session/revoke-portal-session.command';
export * from './revoke-portal-session/revoke-portal-session.usecase';
