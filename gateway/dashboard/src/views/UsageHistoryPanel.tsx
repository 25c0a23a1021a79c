import { useId, useMemo, useRef } from 'preact/hooks';
import './usage-history.css';
import { ErrorNote } from '../components/ErrorNote.js';
import { HistoryChart } from '../components/HistoryChart.js';
import { Time } from '../components/Time.js';
import { type ApiError } from '../api/graphql.js';
import { useQuery } from '../hooks.js';
import { stageLabel } from '../lib/enforcement.js';
import {
  HISTORY_RANGES,
  type HistoryRange,
  historyColumns,
  historyDenials,
  historyPeak,
  historyRequest,
  type UsagePoint,
  showsDates,
} from '../lib/usage-history.js';
import {
  CurrentBillingPeriodDocument,
  EnforcementStageHistoryDocument,
  LicenseUsageHistoryDocument,
} from '../__generated__/graphql.js';

export interface UsageHistoryState {
  points: UsagePoint[] | undefined;
  error: ApiError | undefined;
  from: number;
  to: number;
}

/**
 * A licence's history over a range ending `now` (the platform's time, in epoch ms), from the
 * platform: asked again each minute (the request moves with the minute), the previous answer kept
 * on screen meanwhile.
 */
export function useUsageHistory(
  serverId: string,
  key: string | undefined,
  range: HistoryRange,
  now: number,
): UsageHistoryState {
  const period = useQuery(CurrentBillingPeriodDocument, range === 'period' ? {} : undefined);
  const periodStart = period.data?.billingPeriod.start;
  const waiting = range === 'period' && !periodStart && !period.error;
  const request = historyRequest(range, now, periodStart);
  const query = useQuery(
    LicenseUsageHistoryDocument,
    key && !waiting ? { serverId, key, ...request } : undefined,
  );
  const identity = `${serverId}\u0000${key ?? ''}\u0000${range}`;
  const kept = useRef<{ identity: string; points: UsagePoint[] } | undefined>(undefined);
  if (query.data) kept.current = { identity, points: query.data.licenseUsageHistory };
  const points =
    query.data?.licenseUsageHistory ??
    (kept.current?.identity === identity ? kept.current.points : undefined);
  return { points, error: query.error, from: Date.parse(request.from), to: Date.parse(request.to) };
}

interface PanelProps {
  serverId: string;
  licenceKeys: string[];
  chartKey: string;
  onChartKey(key: string): void;
  range: HistoryRange;
  onRange(range: HistoryRange): void;
  history: UsageHistoryState;
  /** What is in use now (live), and allowed, of the chart's licence */
  live: { at: number; inUse: number } | undefined;
  allowed: number | null;
}

/** Charts of a licence's history kept by the platform: the last hour, day, 30 days or billing period. */
export function UsageHistoryPanel(props: PanelProps) {
  const { history, range, live, allowed } = props;
  const selectId = useId();
  const captionId = useId();
  const points = history.points ?? [];
  const liveInRange = range === 'hour' || range === 'day' ? live : live;
  const columns = useMemo(
    () => historyColumns(points, allowed, liveInRange),
    [points, allowed, liveInRange?.at, liveInRange?.inUse],
  );
  const peak = historyPeak(points, live?.inUse);
  const denials = historyDenials(points);
  const label = HISTORY_RANGES.find((r) => r.range === range)?.label ?? '';
  const end = Math.max(history.to, live?.at ?? 0);

  return (
    <figure
      class="panel chart-panel"
      aria-labelledby={captionId}
      data-testid="in-use-chart"
      data-range={range}
      data-points={history.points ? history.points.length : ''}
      data-peak={history.points ? peak : ''}
      data-in-use={live?.inUse ?? ''}
      data-allowed={allowed ?? ''}
    >
      <div class="panel-head">
        <h2>In use over time</h2>
        <div class="field inline">
          <label for={selectId}>Licence</label>
          <select
            id={selectId}
            value={props.chartKey}
            onChange={(e) => props.onChartKey(e.currentTarget.value)}
          >
            {props.licenceKeys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="range-picker" role="group" aria-label="Period shown">
        {HISTORY_RANGES.map((r) => (
          <button
            key={r.range}
            type="button"

            aria-pressed={r.range === range}
            onClick={() => props.onRange(r.range)}
          >
            {r.label}
          </button>
        ))}
      </div>
      {history.error && <ErrorNote error={history.error} prefix="The history is not available" />}
      <HistoryChart columns={columns} from={history.from / 1000} to={end / 1000} dates={showsDates(range)} />
      <figcaption id={captionId}>
        {!history.points
          ? 'Loading the history…'
          : `${label}: highest ${peak} in use at once${denials > 0 ? `, ${denials} refused` : ''}; now ${
              live?.inUse ?? '—'
            } in use of ${allowed === null ? 'an uncapped pool' : `${allowed} allowed`}.`}{' '}
        <span class="muted">
          (Kept by the platform{history.points && history.points.length > 0 ? ' since ' : ''}
          {history.points && history.points.length > 0 && <Time iso={history.points[0]!.at} date />}; shaded:
          the most in use in each {range === 'hour' || range === 'day' ? 'minute' : 'hour'}.)
        </span>
      </figcaption>
    </figure>
  );
}

const CAUSES: Record<string, string> = {
  GRACE_PERIOD_ELAPSED: 'grace period elapsed',
  CHECK_IN: 'check-in',
  LICENSE_LOADED: 'licence file loaded',
  OVERRIDE: 'set by hand',
};

/** The server's enforcement stage changes as the platform recorded them (newest first). */
export function StageHistoryPanel({ serverId }: { serverId: string }) {
  const { data, error, refetch } = useQuery(EnforcementStageHistoryDocument, { serverId });
  if (error) return <ErrorNote error={error} retry={refetch} prefix="The stage history is not available" />;
  const changes = [...(data?.enforcementHistory ?? [])].reverse().slice(0, 20);
  if (changes.length === 0) return null;
  return (
    <section class="panel stage-history" aria-labelledby="stage-history-heading" data-testid="stage-history">
      <h2 id="stage-history-heading">Enforcement stage history</h2>
      <ol class="denial-log">
        {changes.map((c) => (
          <li key={`${c.at}-${c.to}`}>
            <Time iso={c.at} date /> stage {c.from} → <strong>{c.to}</strong> ({stageLabel(c.to)})
            {c.cause ? <span class="muted"> · {CAUSES[c.cause] ?? c.cause}</span> : null}
            {c.by ? <span class="muted"> · by {c.by}</span> : null}
            {c.reason ? <span class="muted"> · {c.reason}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
