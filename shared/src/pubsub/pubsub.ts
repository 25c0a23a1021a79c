import { createPubSub as createYogaPubSub, type PubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import { type Config } from '../config/config.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LivePubSub = PubSub<Record<string, [any] | [string | number, any]>>;

export interface PubSubHandle {
  pubSub: LivePubSub;
  kind: 'in-process' | 'redis';
  close(): Promise<void>;
}

/**
 * Live updates for subscriptions: in-process in embedded mode; with REDIS_URL, Redis pub/sub,
 * so that a change made on one replica reaches subscribers connected to any other.
 */
export function createPubSub(config: Pick<Config, 'redisUrl'>, channelPrefix = 'lic:live:'): PubSubHandle {
  if (!config.redisUrl) {
    return { pubSub: createYogaPubSub() as LivePubSub, kind: 'in-process', close: async () => undefined };
  }
  const publishClient = new Redis(config.redisUrl, { keyPrefix: channelPrefix });
  const subscribeClient = new Redis(config.redisUrl, { keyPrefix: channelPrefix });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubSub: createYogaPubSub({ eventTarget }) as LivePubSub,
    kind: 'redis',
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
