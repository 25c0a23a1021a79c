import { billingPeriodAt, periodsOverlapping } from '../rules/billing-period.js';
import { type CategoryMapping, classifySession } from '../rules/categories.js';
import { type ActiveSession } from '../rules/session-counter.js';
import { clipToWindows, type TrackingWindow } from '../tracking/tracking-windows.js';
import { maskOf } from './category-mask.js';

/**
 * One stored row of usage: the part of a user's tracked active session that falls in one
 * billing period. A session spanning a period boundary yields a piece in each period, so it
 * counts in both; reports read only the pieces of their period.
 */
export interface SessionPiece {
  /** When the user's session counter rose above zero (the unclipped session). */
  readonly activeStart: number;
  /** The tracked session as users see it (clipped to the server's tracking windows). */
  readonly sessionStart: number;
  readonly sessionEnd: number | null;
  readonly periodStart: number;
  /** The piece within its period; `endAt` is null while the session goes on. */
  readonly startAt: number;
  readonly endAt: number | null;
  readonly categories: number;
  readonly licenses: readonly string[];
}

export interface DerivedUsage {
  readonly pieces: SessionPiece[];
  /** The tracked session still going, if any (reports carry it into later periods). */
  readonly open: { readonly start: number; readonly categories: number } | null;
}

/**
 * Pieces of a user's active sessions: each session is clipped to the windows in which the
 * server tracked usage, classified by every licence applied during it, and split at billing
 * period boundaries. An open session gets one piece (in the period it started) with no end.
 */
export function piecesOf(
  sessions: readonly ActiveSession[],
  windows: readonly TrackingWindow[],
  mapping: CategoryMapping,
): DerivedUsage {
  const pieces: SessionPiece[] = [];
  let open: DerivedUsage['open'] = null;
  for (const session of sessions) {
    const activeStart = session.start.getTime();
    const categories = maskOf(
      classifySession(session.licenses, mapping, { telephoneOnly: session.telephoneOnly === true }),
    );
    const licenses = [...session.licenses];
    for (const part of clipToWindows(windows, activeStart, session.end ? session.end.getTime() : null)) {
      const base = { activeStart, sessionStart: part.start, sessionEnd: part.end, categories, licenses };
      if (part.end === null) {
        pieces.push({
          ...base,
          periodStart: billingPeriodAt(new Date(part.start)).start.getTime(),
          startAt: part.start,
          endAt: null,
        });
        open = { start: part.start, categories };
        continue;
      }
      for (const period of periodsOverlapping(new Date(part.start), new Date(part.end))) {
        pieces.push({
          ...base,
          periodStart: period.start.getTime(),
          startAt: Math.max(part.start, period.start.getTime()),
          endAt: Math.min(part.end, period.end.getTime()),
        });
      }
    }
  }
  return { pieces, open };
}
