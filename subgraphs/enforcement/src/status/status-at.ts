import { type Context } from '../context.js';
import { type EnforcementServer } from './enforcement-server.entity.js';
import { type EnforcementStatus } from './enforcement-status.type.js';
import { statusView } from './status-view.js';

/**
 * The status at `asOf`. Asked about the past, it uses the last good check-in at that instant, not a
 * later one (batched across servers); the licence terms are those in force now.
 */
export async function statusAt(
  ctx: Context,
  row: EnforcementServer | null,
  asOf: Date,
): Promise<EnforcementStatus> {
  let lastGood = row?.lastGoodCheckIn ?? null;
  if (row && lastGood && lastGood > asOf) {
    lastGood = await ctx.loaders.lastGoodCheckIn.load({ serverId: row.serverId, asOf });
  }
  return statusView(row, asOf, lastGood);
}
