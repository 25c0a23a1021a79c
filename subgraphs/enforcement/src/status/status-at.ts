import { type Context } from '../context.js';
import { type DemoClock } from '../rules/demo-clock.js';
import { judgeStanding, type StandingVerdict } from '../rules/standing.js';
import { standingFacts } from '../standing/standing.service.js';
import { type EnforcementServer } from './enforcement-server.entity.js';
import { type EnforcementStatus } from './enforcement-status.types.js';
import { statusView } from './status-view.js';

/**
 * The status at `asOf`. Asked about the past, it uses the last good check-in at that instant, not a
 * later one (batched across servers); the licence terms, file records and holds are those in force
 * now. `verdict`, when given (a check-in's answer), is the verdict on that check-in. `demoClock` is
 * the demo accounts' fast clock (services.demoClock), handed in by the resolver constructed with it.
 */
export async function statusAt(
  ctx: Context,
  demoClock: DemoClock | undefined,
  row: EnforcementServer | null,
  asOf: Date,
  verdict?: StandingVerdict,
): Promise<EnforcementStatus> {
  let lastGood = row?.lastGoodCheckIn ?? null;
  if (row && lastGood && lastGood > asOf) {
    lastGood = await ctx.loaders.lastGoodCheckIn.load({ serverId: row.serverId, asOf });
  }
  return statusView(row, asOf, lastGood, verdict ?? (await standingAt(ctx, row, asOf)), demoClock);
}

/** The platform's verdict on the server's facts at `asOf` (batched across servers). */
async function standingAt(ctx: Context, row: EnforcementServer | null, asOf: Date): Promise<StandingVerdict> {
  if (!row) return judgeStanding({ loaded: null, file: null, hold: null }, asOf);
  const [file, hold] = await Promise.all([
    row.licenseFileId ? ctx.loaders.licenseFile.load(row.licenseFileId) : null,
    ctx.loaders.holdInForce.load(row.accountId),
  ]);
  return judgeStanding(standingFacts(row, file, hold), asOf);
}
