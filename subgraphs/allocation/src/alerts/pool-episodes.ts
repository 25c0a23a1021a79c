/**
 * The episodes behind the pool alerts (docs/domain.md, "Pool alerts"), as pure functions of the
 * stored state, what just happened and the time: a partner hears of a problem once, when it
 * starts, not once per refused logon.
 *
 * - Exhausted: opens at a refusal for want of a licence (reason EXHAUSTED) while no episode is
 *   open; closes when the pool is seen with room again (PoolAlerts.sweep: one statement).
 * - Denial burst: opens when the denials of the licence within the window reach the threshold
 *   while no burst is open; the burst lasts while denials keep reaching it, and ends once a whole
 *   window has passed since the last time they did.
 */
export interface PoolEpisodeState {
  /** When the open exhaustion episode began (epoch ms); null when none is open. */
  exhaustedSince: number | null;
  /** When the open burst began; null when none is open. */
  burstSince: number | null;
  /** The last time the denials within the window reached the threshold (the open burst's latest). */
  burstLastAt: number | null;
}

export const NO_EPISODE: PoolEpisodeState = { exhaustedSince: null, burstSince: null, burstLastAt: null };

export interface BurstSettings {
  threshold: number;
  windowMs: number;
}

export interface DenialsSeen {
  /** Refusals just recorded on the pool for want of a licence (reason EXHAUSTED). */
  exhausted: number;
  /** Denials of the licence (all reasons) within the window ending now, these included. */
  inWindow: number;
  now: number;
}

export interface EpisodeStep {
  state: PoolEpisodeState;
  /** An exhaustion episode opened: announce it. */
  exhaustedOpened: boolean;
  /** A burst opened: announce it. */
  burstOpened: boolean;
}

/** The state after denials were recorded on a pool, and which episodes opened. */
export function afterDenials(state: PoolEpisodeState, seen: DenialsSeen, burst: BurstSettings): EpisodeStep {
  const exhaustedOpened = seen.exhausted > 0 && state.exhaustedSince === null;
  const exhaustedSince = exhaustedOpened ? seen.now : state.exhaustedSince;

  const burstOpen = state.burstSince !== null && !burstEnded(state, seen.now, burst);
  let burstSince = burstOpen ? state.burstSince : null;
  let burstLastAt = burstOpen ? state.burstLastAt : null;
  let burstOpened = false;
  if (seen.inWindow >= burst.threshold) {
    if (!burstOpen) {
      burstOpened = true;
      burstSince = seen.now;
    }
    burstLastAt = seen.now;
  }
  return { state: { exhaustedSince, burstSince, burstLastAt }, exhaustedOpened, burstOpened };
}

/** True when a whole window has passed since the burst last reached the threshold. */
export function burstEnded(state: PoolEpisodeState, now: number, burst: BurstSettings): boolean {
  return state.burstLastAt === null || now - state.burstLastAt > burst.windowMs;
}
