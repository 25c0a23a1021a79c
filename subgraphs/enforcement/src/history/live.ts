import { filter, pipe } from '@graphql-yoga/subscription';
import { type LivePubSub, type StageChangedPayload, forbidden, requirePrincipal } from '@lic/shared';
import { canSeeAccount, canSeeServer } from '../access/access.js';
import { type Context } from '../context.js';

/** The PubSub topic of `enforcementStageChanged`: the stage-changed events, as allocation gets them. */
export const STAGE_CHANGED_TOPIC = 'enforcement:stage-changed';

export interface StageChangeFilter {
  serverId?: string | null | undefined;
  accountId?: string | null | undefined;
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
  return pipe(
    ctx.services.live.subscribe(STAGE_CHANGED_TOPIC),
    filter(
      (change: StageChangedPayload) =>
        (!serverId || change.serverId === serverId) &&
        (!accountId || change.accountId === accountId) &&
        canSeeServer(principal, change, soldTo),
    ),
  );
}
