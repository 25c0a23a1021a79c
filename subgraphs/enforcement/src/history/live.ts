import { filter, pipe } from '@graphql-yoga/subscription';
import {
  type LivePubSub,
  type StageChangedPayload,
  type SubscriptionResume,
  forbidden,
  requirePrincipal,
  subscriptionResumeOf,
} from '@lic/shared';
import { canSeeAccount, canSeeServer } from '../access/access.js';
import { type Context } from '../context.js';
import { type EnforcementService } from '../status/enforcement.service.js';
import { type StageChangeRow } from './stage-change.entity.js';

/** The PubSub topic of `enforcementStageChanged`: the stage-changed events, as allocation gets them. */
export const STAGE_CHANGED_TOPIC = 'enforcement:stage-changed';

export interface StageChangeFilter {
  serverId?: string | null | undefined;
  accountId?: string | null | undefined;
}

/** Where stage changes come from: the live PubSub, and the recorded history for a resumed subscriber. */
export interface StageChangeSources {
  live: LivePubSub;
  enforcement: Pick<EnforcementService, 'changesRecordedSince'>;
}

/** Pushes a recorded change to every subscriber (on any replica, with the Redis PubSub). */
export function publishStageChange(pubSub: LivePubSub, payload: StageChangedPayload): void {
  // from = to only carries a new call-port limit to allocation: nothing changed for a watcher.
  if (payload.from === payload.to) return;
  pubSub.publish(STAGE_CHANGED_TOPIC, payload);
}

/**
 * Opens the subscription after checking the caller may watch what it names; each change is then
 * delivered only if it matches the filters and concerns a server the caller may see (a
 * supervisor without filters watches every server of its own account).
 */
export async function subscribeToStageChanges(
  args: StageChangeFilter,
  ctx: Context,
  sources: StageChangeSources,
): Promise<AsyncIterable<StageChangedPayload>> {
  const principal = requirePrincipal(ctx.principal);
  // A partner watches its customers' servers too: whom it sold to as of the subscription's start.
  const soldTo = await ctx.tenant.partnerAccounts();
  const { serverId, accountId } = args;
  if (serverId) {
    // A server not known here yet is allowed: nothing of another tenant's can pass the filter below.
    const row = await ctx.loaders.server.load(serverId);
    if (row && !canSeeServer(principal, row, soldTo))
      throw forbidden('This server belongs to another tenant');
  }
  if (accountId && !canSeeAccount(principal, accountId, soldTo))
    throw forbidden('This account belongs to another tenant');
  const matches = (change: Pick<StageChangedPayload, 'serverId' | 'accountId'>) =>
    (!serverId || change.serverId === serverId) &&
    (!accountId || change.accountId === accountId) &&
    canSeeServer(principal, change, soldTo);
  const live = pipe(
    sources.live.subscribe(STAGE_CHANGED_TOPIC),
    filter((change: StageChangedPayload) => matches(change)),
  );
  const resume = subscriptionResumeOf(ctx);
  if (!resume) return live;
  const replay = async (since: Date) =>
    (await sources.enforcement.changesRecordedSince({ serverId, accountId }, since))
      .filter(matches)
      .map(payloadOfRow);
  return resumable(live, resume, replay);
}

/**
 * Where a resumable subscriber is: changes recorded since `t` (epoch ms, enforcement's clock) are
 * replayed unless `seen` (the last change number told, by server) says it had them.
 */
interface Position {
  t: number;
  seen: Record<string, number>;
}

export function encodePosition(position: Position): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodePosition(cursor: string): Position | undefined {
  try {
    const raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Position>;
    if (typeof raw.t !== 'number' || typeof raw.seen !== 'object' || raw.seen === null) return undefined;
    const seen: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const [server, seq] of Object.entries(raw.seen)) if (typeof seq === 'number') seen[server] = seq;
    return { t: raw.t, seen };
  } catch {
    return undefined;
  }
}

/** A recorded change as the live event it was published as. */
export function payloadOfRow(row: StageChangeRow): StageChangedPayload {
  return {
    serverId: row.serverId,
    accountId: row.accountId,
    from: row.fromStage,
    to: row.toStage,
    at: row.at.toISOString(),
    supervisorEnabled: row.supervisorEnabled,
    callPortLimit: row.callPortLimit,
    cause: row.cause,
    ...(row.actor ? { by: row.actor } : {}),
    ...(row.note ? { reason: row.note } : {}),
    seq: row.seq,
  };
}

/**
 * The history read, tried again while the database cannot answer (a MariaDB restart): the
 * subscription waits rather than fails. After about a minute it resumes with the live changes only.
 */
async function replayPatiently(read: () => Promise<StageChangedPayload[]>): Promise<StageChangedPayload[]> {
  let delayMs = 250;
  for (let waited = 0; ; waited += delayMs, delayMs = Math.min(delayMs * 2, 5000)) {
    try {
      return await read();
    } catch {
      if (waited >= 60_000) return [];
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/**
 * A subscription resumed by the gateway after an outage (or started with a resume point): first
 * the changes recorded since its position that it was not told, in the order recorded, then the
 * live ones, none twice (a change is identified by its server and number). Each yielded change
 * moves the position, which the server sends with the event as the next resume point.
 *
 * Written as an iterator, not an async generator: a generator waiting for the next live change
 * cannot be ended before that change comes (its `return()` waits behind the pending `await`), so
 * a watcher of a quiet server who unsubscribed would keep its PubSub listener until the server's
 * stage moved, perhaps for good. Ending this one ends the live source at once.
 */
function resumable(
  live: AsyncIterable<StageChangedPayload>,
  resume: SubscriptionResume,
  replay: (since: Date) => Promise<StageChangedPayload[]>,
): AsyncIterableIterator<StageChangedPayload> {
  const from = resume.from.cursor ? decodePosition(resume.from.cursor) : undefined;
  // A cursor that does not decode, without an instant to fall back on: the live changes only.
  const since = from?.t ?? resume.from.since;
  const position: Position = from ?? {
    t: since ?? 0,
    seen: Object.create(null) as Record<string, number>,
  };
  const fresh = (change: StageChangedPayload) =>
    change.seq === undefined || change.seq > (position.seen[change.serverId] ?? 0);
  const tell = (change: StageChangedPayload): IteratorResult<StageChangedPayload> => {
    if (change.seq !== undefined) position.seen[change.serverId] = change.seq;
    resume.cursor = encodePosition(position);
    return { done: false, value: change };
  };
  const over: IteratorReturnResult<undefined> = { done: true, value: undefined };
  // Listen before reading the history: a change committed after the read is published after it.
  const iterator = live[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<StageChangedPayload>> | undefined = iterator.next();
  const missed: Promise<StageChangedPayload[]> =
    since === undefined ? Promise.resolve([]) : replayPatiently(() => replay(new Date(since)));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await iterator.return?.();
  };
  const self: AsyncIterableIterator<StageChangedPayload> = {
    async next() {
      // The replayed changes, in order, taken from the front as they are told.
      const queue = await missed;
      while (!closed && queue.length > 0) {
        const change = queue.shift()!;
        if (change.from !== change.to && fresh(change)) return tell(change);
      }
      while (!closed) {
        const next = await (first ?? iterator.next());
        first = undefined;
        if (next.done) break;
        if (!closed && fresh(next.value)) return tell(next.value);
      }
      await close();
      return over;
    },
    async return() {
      await close();
      return over;
    },
    async throw(error?: unknown) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]: () => self,
  };
  return self;
}
