import 'reflect-metadata';

export { createServer, type AllocationServer } from './server.js';
export { buildAllocationSchema } from './schema.js';
export { entities } from './entities.js';
export { migrations } from './migrations/index.js';
