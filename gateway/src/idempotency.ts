import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { Kind, parse } from 'graphql';
import { type Principal } from '@lic/shared/core';
import { stableStringify } from './subscriptions/stable-json.js';

/** The header a client sends; any token of 1-255 visible ASCII characters (a UUID is usual). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on an answer replayed from the store. */
export const REPLAYED_HEADER = 'idempotent-replayed';
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/** The first answer to a request, as sent. */
export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * What a key holds: a request in flight (its marker) or its answer, each with the request's
 * fingerprint. The answer is sealed (AES-256-GCM) with a key derived from the client's
 * Idempotency-Key, which the store never sees: whoever reads the store (Redis in distributed
 * mode) cannot read the answers, and some carry secrets shown once (API keys, webhook secrets).
 */
export type IdempotencyRecord =
  | { state: 'running'; fingerprint: string; marker: string }
  | { state: 'done'; fingerprint: string; sealed: string };

/** A client's key as the gateway uses it: where its record is stored, and what seals its answer. */
export interface ScopedKey {
  /** The record's name in the store: a hash of the principal and the client's key. */
  id: string;
  /** 32 bytes from another hash of the same: never stored. */
  seal: Buffer;
}

export interface IdempotencyStore {
  /** Claims the key for a request (true), unless something holds it already (false). */
  claim(key: string, record: IdempotencyRecord, leaseMs: number): Promise<boolean>;
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Stores the answer for `ttlMs`. */
  complete(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
  /** Frees the key (a transient failure is not kept), if it still holds this marker. */
  release(key: string, marker: string): Promise<void>;
  close(): Promise<void>;
}

/** Embedded mode: one process, one map (expired entries dropped as they are met, and on a sweep). */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, { record: IdempotencyRecord; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, record: IdempotencyRecord, leaseMs: number): Promise<boolean> {
    // Checked and set with no await between: concurrent claims in this process cannot both win.
    if (this.current(key)) return false;
    this.sweep();
    this.entries.set(key, { record, until: this.now() + leaseMs });
    return true;
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    return this.current(key);
  }

  private current(key: string): IdempotencyRecord | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.record;
  }

  async complete(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    this.entries.set(key, { record, until: this.now() + ttlMs });
  }

  async release(key: string, marker: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry?.record.state === 'running' && entry.record.marker === marker) this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private sweep(): void {
    if (this.entries.size < 10_000) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
  }
}

const RELEASE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v and string.find(v, ARGV[1], 1, true) then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Distributed mode: every gateway replica shares the keys (SET NX claims, the answer replaces the marker). */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async claim(key: string, record: IdempotencyRecord, leaseMs: number): Promise<boolean> {
    const ok = await this.redis.set(this.prefix + key, JSON.stringify(record), 'PX', leaseMs, 'NX');
    return ok === 'OK';
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const text = await this.redis.get(this.prefix + key);
    return text ? (JSON.parse(text) as IdempotencyRecord) : undefined;
  }

  async complete(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(record), 'PX', ttlMs);
  }

  async release(key: string, marker: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.prefix + key, `"marker":"${marker}"`);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** A mutation's operation, or undefined for anything else (queries ignore the header). */
export function isMutation(query: string, operationName: string | undefined): boolean {
  try {
    const operations = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const chosen = operationName
      ? operations.find((d) => d.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    return chosen?.operation === 'mutation';
  } catch {
    return false;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The principal's (account and subject) and the client's key, hashed together: two ways, for two uses. */
export function scopedKey(principal: Principal, key: string): ScopedKey {
  const scoped = `${principal.accountId ?? ''}\u0000${principal.sub}\u0000${key}`;
  return {
    id: sha256(scoped),
    seal: createHash('sha256').update(`seal\u0000${scoped}`, 'utf8').digest(),
  };
}

/** The answer encrypted and authenticated with the key's seal: base64 of nonce, tag, ciphertext. */
export function sealResponse(seal: Buffer, response: StoredResponse): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', seal, nonce);
  const text = Buffer.concat([cipher.update(JSON.stringify(response), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), text]).toString('base64');
}

/** The answer sealed with `seal`; throws when it was sealed with another or altered. */
export function openResponse(seal: Buffer, sealed: string): StoredResponse {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', seal, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as StoredResponse;
}

/** What makes two requests "the same": the operation text, its name and the variables (key order aside). */
export function fingerprint(query: string, operationName: string | undefined, variables: unknown): string {
  return sha256(stableStringify([query, operationName ?? null, variables ?? null]));
}

export function validKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}

/** Codes that mean "try again", never a final answer: such an answer is not kept. */
const TRANSIENT_CODES = new Set([
  'SUBGRAPH_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'IDEMPOTENCY_KEY_IN_USE',
]);

/** Whether an answer is final (stored and replayed): business refusals are, transient failures not. */
export function isFinal(response: StoredResponse): boolean {
  if (response.status >= 500 || response.status === 429 || response.status === 401) return false;
  try {
    const body = JSON.parse(response.body) as { errors?: Array<{ extensions?: { code?: unknown } }> };
    return !(body.errors ?? []).some((e) => TRANSIENT_CODES.has(String(e.extensions?.code ?? '')));
  } catch {
    return false;
  }
}

/** Tees what a response sends into memory, so that it can be stored once sent. */
export function captureResponse(res: ServerResponse): () => StoredResponse {
  const chunks: Buffer[] = [];
  let contentType: string | undefined;
  const toBuffer = (chunk: unknown): Buffer | undefined =>
    typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : undefined;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const headers = args.find((a) => a !== null && typeof a === 'object') as
      Record<string, unknown> | undefined;
    const type = headers?.['content-type'] ?? headers?.['Content-Type'];
    if (typeof type === 'string') contentType = type;
    return writeHead(...args);
  }) as typeof res.writeHead;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    const buffer = toBuffer(chunk);
    if (buffer) chunks.push(buffer);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    const buffer = toBuffer(chunk);
    if (buffer) chunks.push(buffer);
    return end(chunk, ...rest);
  }) as typeof res.end;
  return () => ({
    status: res.statusCode,
    contentType: contentType ?? String(res.getHeader('content-type') ?? 'application/json; charset=utf-8'),
    body: Buffer.concat(chunks).toString('utf8'),
  });
}

export type Admission =
  | { kind: 'run'; finish(response: StoredResponse): Promise<void> }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'reused' }
  | { kind: 'in-use' };

/**
 * The Idempotency-Key rules: the first request with a key runs; a retry with the same request gets
 * the first answer (waiting up to `waitMs` while the first runs, then told to retry); another
 * request with the key is refused. Answers are kept `ttlMs`; transient failures are not kept.
 */
export class Idempotency {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly options: { ttlMs: number; waitMs: number; leaseMs: number; pollMs?: number },
  ) {}

  async admit(scoped: ScopedKey, print: string): Promise<Admission> {
    const key = scoped.id;
    const marker = randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      if (
        await this.store.claim(key, { state: 'running', fingerprint: print, marker }, this.options.leaseMs)
      ) {
        return {
          kind: 'run',
          finish: async (response) => {
            if (isFinal(response))
              await this.store.complete(
                key,
                { state: 'done', fingerprint: print, sealed: sealResponse(scoped.seal, response) },
                this.options.ttlMs,
              );
            else await this.store.release(key, marker);
          },
        };
      }
      const record = await this.store.get(key);
      if (record) {
        if (record.fingerprint !== print) return { kind: 'reused' };
        if (record.state === 'done')
          return { kind: 'replay', response: openResponse(scoped.seal, record.sealed) };
        if (Date.now() >= deadline) return { kind: 'in-use' };
      }
      await delay(this.options.pollMs ?? 25);
    }
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
