import { type TrackingMode } from './tracking-mode.js';

/** A licence load as billing keeps it: from `loadedAt` on, the server tracks usage in `mode`. */
export interface LicenseLoadFact {
  readonly loadedAt: number;
  readonly mode: TrackingMode;
}

/** A stretch of time during which a server collected usage; `to` is exclusive, null = still. */
export interface TrackingWindow {
  readonly from: number;
  readonly to: number | null;
  readonly mode: Exclude<TrackingMode, 'NONE'>;
}

/**
 * The windows in which a server tracked usage, from its licence loads in any order: each load
 * rules from its time until the next load. Before the first load nothing is tracked. Windows
 * of the same mode that touch are merged, so reloading the same licence changes nothing.
 */
export function trackingWindows(loads: readonly LicenseLoadFact[]): TrackingWindow[] {
  const ordered = [...loads].sort((a, b) => a.loadedAt - b.loadedAt);
  const windows: TrackingWindow[] = [];
  ordered.forEach((load, i) => {
    const next = ordered[i + 1];
    const to = next ? next.loadedAt : null;
    if (load.mode === 'NONE' || to === load.loadedAt) return;
    const last = windows.at(-1);
    if (last && last.mode === load.mode && last.to === load.loadedAt) {
      windows[windows.length - 1] = { ...last, to };
    } else {
      windows.push({ from: load.loadedAt, to, mode: load.mode });
    }
  });
  return windows;
}

/** The mode in force at `at`, or NONE. */
export function modeAt(windows: readonly TrackingWindow[], at: number): TrackingMode {
  for (const w of windows) if (w.from <= at && (w.to === null || at < w.to)) return w.mode;
  return 'NONE';
}

/** The parts of [start, end) (end null = open) that fall in tracking windows. */
export function clipToWindows(
  windows: readonly TrackingWindow[],
  start: number,
  end: number | null,
): Array<{ start: number; end: number | null }> {
  const parts: Array<{ start: number; end: number | null }> = [];
  for (const w of windows) {
    const s = Math.max(start, w.from);
    let e: number | null;
    if (end === null) e = w.to;
    else e = w.to === null ? end : Math.min(end, w.to);
    if (e === null || e > s) parts.push({ start: s, end: e });
  }
  return parts;
}
