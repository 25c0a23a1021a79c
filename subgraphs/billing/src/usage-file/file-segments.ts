import { DAY_MS } from '@lic/shared';
import { type TrackingMode } from '../tracking/tracking-mode.js';
import { modeAt, type TrackingWindow } from '../tracking/tracking-windows.js';

export interface FileSegment {
  /** 1 for the day's first file, then one more for each restart (reference Appendix A). */
  readonly sequence: number;
  readonly start: number;
  /** Exclusive: the next restart or the end of the day. */
  readonly end: number;
}

/**
 * A server's usage files for one UTC day: the day is cut at each restart. The file before the
 * first restart exists when it holds a record; each restart opens a file even if nothing
 * happens afterwards (the server writes it on start).
 */
export function segmentsOfDay(
  day: number,
  firstRecordAt: number | null,
  restarts: readonly number[],
): FileSegment[] {
  const dayStart = day * DAY_MS;
  const dayEnd = dayStart + DAY_MS;
  const cuts = [...new Set(restarts.filter((r) => r >= dayStart && r < dayEnd))].sort((a, b) => a - b);
  const restartAtMidnight = cuts[0] === dayStart;
  const boundaries = restartAtMidnight ? cuts : [dayStart, ...cuts];
  const segments: FileSegment[] = [];
  boundaries.forEach((start, i) => {
    const end = boundaries[i + 1] ?? dayEnd;
    const opensWithRestart = i > 0 || restartAtMidnight;
    if (opensWithRestart || (firstRecordAt !== null && firstRecordAt < end)) {
      segments.push({ sequence: i + 1, start, end });
    }
  });
  return segments;
}

/** The upload mode of a file: the mode in force when it starts, or when tracking began in it. */
export function fileMode(windows: readonly TrackingWindow[], start: number, end: number): TrackingMode {
  const atStart = modeAt(windows, start);
  if (atStart !== 'NONE') return atStart;
  const first = windows.find((w) => w.from >= start && w.from < end);
  return first ? first.mode : 'NONE';
}

export const dayText = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const dayNumberOf = (text: string): number => Math.floor(Date.parse(`${text}T00:00:00.000Z`) / DAY_MS);
