import { useEffect, useState } from 'preact/hooks';
import { ErrorNote } from '../components/ErrorNote.js';
import { TrendChart } from '../components/TrendChart.js';
import { ApiError, request } from '../api/graphql.js';
import { useSession } from '../context.js';
import { categoryTrend, type TrendSession } from '../lib/usage-trend.js';
import { UsageTrendSessionsDocument } from '../__generated__/graphql.js';

/** As the operation asks (UsageTrendSessions). */
const SESSIONS_PER_SERVER = 2000;

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

/**
 * The usage report's categories over the billing period, day by day: the most people active at
 * once per category (the report's peak concurrent, per day), from the tracked sessions of every
 * server of the account.
 */
export function UsageTrend({
  serverIds,
  periodStart,
  periodEnd,
}: {
  serverIds: string[];
  periodStart: string;
  periodEnd: string;
}) {
  const { session } = useSession();
  const [sessions, setSessions] = useState<TrendSession[] | undefined>(undefined);
  const [truncated, setTruncated] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  const key = serverIds.join();

  useEffect(() => {
    const abort = new AbortController();
    setError(undefined);
    Promise.all(
      serverIds.map((serverId) =>
        request(
          UsageTrendSessionsDocument,
          { serverId, from: periodStart, to: periodEnd },
          session.token,
          abort.signal,
        ),
      ),
    ).then(
      (answers) => {
        if (abort.signal.aborted) return;
        setTruncated(answers.some((a) => a.usageSessions.length >= SESSIONS_PER_SERVER));
        setSessions(
          answers.flatMap((a) =>
            a.usageSessions.map((s) => ({
              userId: s.user.id,
              start: s.start,
              end: s.end ?? null,
              categories: s.categories,
            })),
          ),
        );
      },
      (e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof ApiError ? e : new ApiError(String(e), undefined));
      },
    );
    return () => abort.abort();
  }, [key, periodStart, periodEnd, session.token, generation]);

  if (error)
    return (
      <ErrorNote
        error={error}
        retry={() => setGeneration((g) => g + 1)}
        prefix="The daily figures are not available"
      />
    );
  if (!sessions) return <p role="status">Loading the daily figures…</p>;
  const trend = categoryTrend(sessions, Date.parse(periodStart), Date.parse(periodEnd), Date.now());
  if (trend.categories.length === 0) return null;
  return (
    <figure
      class="panel chart-panel"
      aria-labelledby="usage-trend-caption"
      data-testid="usage-trend"
      data-days={trend.days.length}
      data-categories={trend.categories.join(' ')}
    >
      <h2>Most at once per category, day by day</h2>
      <TrendChart
        xs={trend.days.map((d) => d / 1000)}
        series={trend.categories.map((c) => ({ label: c, values: trend.peak[c]! }))}
      />
      <figcaption id="usage-trend-caption">
        {trend.categories
          .map(
            (c) =>
              `${c}: highest ${Math.max(0, ...trend.peak[c]!)} at once, ${people(Math.max(0, ...trend.named[c]!))} on the busiest day`,
          )
          .join('; ')}
        .{' '}
        <span class="muted">
          (UTC days of the period, from the tracked sessions of the account’s servers
          {truncated ? `; only the first ${SESSIONS_PER_SERVER} sessions of a server are counted` : ''}.)
        </span>
      </figcaption>
    </figure>
  );
}
