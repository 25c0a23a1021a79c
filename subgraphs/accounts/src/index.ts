import 'reflect-metadata';

export { createServer, type AccountsServer } from './server.js';
export { buildAccountsSchema } from './schema.js';
export { entities } from './entities.js';
export { migrations } from './migrations/index.js';
export { createWebhookWorker, type WebhookWorkerHandle } from './webhook/worker-service.js';
