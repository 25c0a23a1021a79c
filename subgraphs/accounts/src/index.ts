import 'reflect-metadata';

export { createServer, type AccountsServer } from './server.js';
export { buildAccountsSchema } from './schema.js';
export { entities } from './entities.js';
export { migrations } from './migrations/index.js';
export {
  createWebhookWorker,
  type WebhookWorkerHandle,
  type WebhookWorkerOverrides,
} from './webhook/worker-service.js';
export { WebhookEventType, WEBHOOK_SOURCE_TOPICS } from './webhook/event-types.js';
export { checkWebhookUrl, addressRefusal } from './webhook/url-policy.js';
export { WebhookWorker } from './webhook/worker.js';
