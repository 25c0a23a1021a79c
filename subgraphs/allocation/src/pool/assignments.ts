import { type EntityManager } from 'typeorm';
import { concurrentTwin } from '../rules/licenses.js';
import { type PoolStore } from './pool.store.js';

/** A user's or station's licences as configured: which pools they come from follows the method. */
export interface Configuration {
  method: 'ASSIGNED' | 'CONCURRENT';
  licenses: readonly string[];
}

export const NOTHING: Configuration = { method: 'ASSIGNED', licenses: [] };

/** The licence could not be assigned: its pool is exhausted (or not in the server's file). */
export class PoolExhausted extends Error {
  constructor(readonly key: string) {
    super(`pool ${key} exhausted`);
  }
}

interface Delta {
  /** ASSIGNED: one licence held and one configured, both move together. */
  assigned: number;
  /** CONCURRENT: configured only; logons take the licences. */
  configured: number;
}

function contributions(configuration: Configuration, sign: 1 | -1, into: Map<string, Delta>): void {
  for (const license of new Set(configuration.licenses)) {
    const key = configuration.method === 'ASSIGNED' ? license : concurrentTwin(license);
    const delta = into.get(key) ?? { assigned: 0, configured: 0 };
    if (configuration.method === 'ASSIGNED') delta.assigned += sign;
    else delta.configured += sign;
    into.set(key, delta);
  }
}

/**
 * Moves the pools from one configuration to another, in key order (so two changes never lock
 * pools in opposite orders). An ASSIGNED licence is acquired at the moment of assignment with
 * the same conditional update a logon uses: an exhausted pool refuses it with PoolExhausted and
 * the caller's transaction rolls everything back.
 */
export async function reconfigure(
  manager: EntityManager,
  pools: PoolStore,
  serverId: string,
  before: Configuration,
  after: Configuration,
  at: Date,
): Promise<string[]> {
  const deltas = new Map<string, Delta>();
  contributions(before, -1, deltas);
  contributions(after, 1, deltas);
  const changed: string[] = [];
  for (const key of [...deltas.keys()].sort()) {
    const { assigned, configured } = deltas.get(key)!;
    if (assigned === 0 && configured === 0) continue;
    changed.push(key);
    if (assigned > 0) {
      if (!(await pools.take(manager, serverId, key, at, 1))) throw new PoolExhausted(key);
    } else if (assigned < 0) {
      await pools.unassign(manager, serverId, key);
    }
    if (configured !== 0) await pools.configure(manager, serverId, key, configured);
  }
  return changed;
}
