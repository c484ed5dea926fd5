export { loadGatewayConfig } from './config';
export type { GatewayConfig } from './config';
export { startGateway } from './gateway';
export type { RunningGateway } from './gateway';
export { signDevToken } from './token';
export { createAuthenticator } from './auth';
export type { Authenticate } from './auth';
