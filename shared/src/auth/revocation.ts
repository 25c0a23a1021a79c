import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { type Config } from '../config/config.js';

/** A credential taken back: every open socket authenticated by a token with this subject closes. */
export interface Revocation {
  /** The revoked token's `sub` (a machine credential's subject names the credential). */
  sub: string;
  serverId?: string;
}

export type RevocationListener = (revocation: Revocation) => void;

export interface RevocationChannel {
  readonly kind: 'in-process' | 'redis';
  publish(revocation: Revocation): Promise<void>;
  subscribe(listener: RevocationListener): () => void;
  /** Resolves once the subscription listens (a Redis SUBSCRIBE is acknowledged). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const EVENT = 'revoked';
// Embedded mode runs the gateway and the subgraphs in one process: they meet on this emitter. It
// hangs off the process (a registered symbol), not this module, because the gateway and the
// subgraphs may load two copies of the library (built and source, as the tests do).
const LOCAL = Symbol.for('lic.auth.revocations');
const local: EventEmitter =
  ((globalThis as Record<symbol, unknown>)[LOCAL] as EventEmitter | undefined) ??
  (() => {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    (globalThis as Record<symbol, unknown>)[LOCAL] = emitter;
    return emitter;
  })();

function parse(message: string): Revocation | undefined {
  try {
    const value = JSON.parse(message) as Partial<Revocation>;
    if (typeof value.sub !== 'string' || value.sub === '') return undefined;
    return { sub: value.sub, ...(typeof value.serverId === 'string' ? { serverId: value.serverId } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Where revocations travel: in-process in embedded mode; with REDIS_URL, a Redis pub/sub channel,
 * so that a credential revoked on one allocation replica closes its sockets on every gateway and
 * subgraph replica. The caller supplies the Redis client (the light core does not load ioredis).
 */
export function createRevocationChannel(
  config: Pick<Config, 'redisUrl' | 'redisPrefix'>,
  newRedis: (url: string) => Redis,
): RevocationChannel {
  if (!config.redisUrl) {
    return {
      kind: 'in-process',
      publish: async (revocation) => {
        local.emit(EVENT, revocation);
      },
      subscribe: (listener) => {
        local.on(EVENT, listener);
        return () => local.off(EVENT, listener);
      },
      ready: async () => undefined,
      close: async () => undefined,
    };
  }
  const url = config.redisUrl;
  const channel = `${config.redisPrefix}auth:revoked`;
  const listeners = new Set<RevocationListener>();
  let publisher: Redis | undefined;
  let subscriber: Promise<Redis> | undefined;
  const connect = async (): Promise<Redis> => newRedis(url);
  return {
    kind: 'redis',
    publish: async (revocation) => {
      publisher ??= await connect();
      await publisher.publish(channel, JSON.stringify(revocation));
    },
    subscribe: (listener) => {
      listeners.add(listener);
      subscriber ??= connect().then(async (client) => {
        client.on('message', (_channel: string, message: string) => {
          const revocation = parse(message);
          if (revocation) for (const l of listeners) l(revocation);
        });
        await client.subscribe(channel);
        return client;
      });
      return () => listeners.delete(listener);
    },
    ready: async () => {
      await subscriber;
    },
    close: async () => {
      listeners.clear();
      publisher?.disconnect();
      if (subscriber) (await subscriber.catch(() => undefined))?.disconnect();
    },
  };
}
