import 'reflect-metadata';

export { createServer, type BillingServerHandle } from './server.js';
export { buildBillingSchema } from './schema.js';
export { entities } from './entities.js';
export { migrations } from './migrations/index.js';
