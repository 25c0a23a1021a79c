import 'reflect-metadata';

export { createServer, type EnforcementServerHandle } from './server.js';
export { buildEnforcementSchema } from './schema.js';
export { entities } from './entities.js';
export { migrations } from './migrations/index.js';
