import DataLoader from 'dataloader';
import { type WebhookAttempt } from './webhook.entity.js';
import { type WebhookService } from './webhook.service.js';

export interface WebhookLoaders {
  /** A delivery's attempts, oldest first, keyed by delivery id. */
  attemptsByDelivery: DataLoader<string, WebhookAttempt[]>;
}

export function createWebhookLoaders(service: WebhookService): WebhookLoaders {
  return {
    attemptsByDelivery: new DataLoader((ids: readonly string[]) => service.attemptsOf(ids)),
  };
}
