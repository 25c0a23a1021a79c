import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorNote } from '../components/ErrorNote.js';
import { TimeChart } from '../components/TimeChart.js';
import { useScope } from '../context.js';
import { useEnforcement } from '../enforcement-state.js';
import { useNow, useQuery, useSubscription } from '../hooks.js';
import {
  ALL_KEYS,
  appendPoint,
  chartColumns,
  defaultChartKey,
  HISTORY_WINDOW_MS,
  type HistoryPoint,
  parseStoredHistory,
  snapshotValues,
} from '../lib/history.js';
import { stageLabel } from '../lib/enforcement.js';
import { expiryNote, type LicenseStatusFacts } from '../lib/expiry.js';
import {
  limitText,
  changedKeys,
  type DenialNote,
  newDenials,
  sortRows,
  type StatisticRow,
  totals,
} from '../lib/statistics.js';
import { formatUtc } from '../lib/time.js';
import { type Route } from '../routing.js';
import {
  LicenseDenialsDocument,
  LicenseStatisticsChangedDocument,
  LicenseStatisticsDocument,
  ServerUsersDocument,
} from '../__generated__/graphql.js';

interface Props {
  route: Route;
  navigate(route: Route): void;
}

export function StatisticsView({ route, navigate }: Props) {
  const { account } = useScope();
  const servers = account?.servers ?? [];
  const requested = route.params['server'];
  const server = servers.find((s) => s.id === requested) ?? servers[0];
  const pickerId = useId();

  return (
    <section aria-labelledby="statistics-heading" class="view">
      <div class="view-head">
        <h1 id="statistics-heading">Licence statistics</h1>
        {servers.length > 0 && (
          <div class="field inline">
            <label for={pickerId}>Server</label>
            <select
              id={pickerId}
              value={server?.id}
              onChange={(e) => navigate({ view: 'statistics', params: { server: e.currentTarget.value } })}
            >
              {servers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.standby ? `${s.name} (standby)` : s.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {requested && requested !== server?.id && (
        <p class="notice" role="status">
          The server in the link is not one of {account?.name ?? 'your account'}’s servers, so it is not
          shown.
        </p>
      )}
      {server?.standby && (
        <p class="notice" role="status">
          {server.name} is the standby member of its switchover pair: it shares the pair’s licences and
          refuses logons until it takes over.
        </p>
      )}
      {server ? (
        <ServerStatistics key={server.id} serverId={server.id} serverName={server.name} />
      ) : (
        <p class="empty">{account?.name} has no servers registered yet.</p>
      )}
    </section>
  );
}

const MIN_WINDOW_MS = 5 * 60_000;

function historyKey(serverId: string) {
  return `lic.dashboard.history.${serverId}`;
}

function ServerStatistics({ serverId, serverName }: { serverId: string; serverName: string }) {
  const query = useQuery(LicenseStatisticsDocument, { serverId });
  const [rows, setRows] = useState<StatisticRow[] | undefined>(undefined);
  const [history, setHistory] = useState<HistoryPoint[]>(() =>
    parseStoredHistory(localStorage.getItem(historyKey(serverId)), Date.now()),
  );
  const [updatedAt, setUpdatedAt] = useState<string | undefined>(undefined);
  const [flash, setFlash] = useState<{ keys: string[]; at: number }>({ keys: [], at: 0 });
  const [denialNotes, setDenialNotes] = useState<DenialNote[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [chartKey, setChartKey] = useState<string | undefined>(undefined);
  // The server's licence status: from the query, then from every live update (expiry is pushed).
  const [licenseStatus, setLicenseStatus] = useState<LicenseStatusFacts | null>(null);
  const now = useNow(5000);

  const rowsRef = useRef<StatisticRow[] | undefined>(undefined);
  const historyRef = useRef(history);

  const accept = (next: StatisticRow[], at: string | undefined, announce: boolean) => {
    const sorted = sortRows(next);
    const seenAt = Date.now();
    const previous = rowsRef.current;
    rowsRef.current = sorted;
    setRows(sorted);
    if (previous) {
      const keys = changedKeys(previous, sorted);
      if (keys.length) setFlash({ keys, at: seenAt });
      const denied = newDenials(previous, sorted, seenAt);
      if (denied.length) setDenialNotes((notes) => [...denied, ...notes].slice(0, 50));
      if (announce && keys.length) {
        const described = sorted
          .filter((r) => keys.includes(r.key))
          .slice(0, 3)
          .map((r) => `${r.key} ${r.concurrentInUse} in use`)
          .join(', ');
        setAnnouncement(`Updated: ${described}${keys.length > 3 ? ` and ${keys.length - 3} more` : ''}.`);
      }
    }
    const updated = appendPoint(historyRef.current, { t: seenAt, values: snapshotValues(sorted) });
    historyRef.current = updated;
    setHistory(updated);
    try {
      localStorage.setItem(historyKey(serverId), JSON.stringify(updated));
    } catch {
      // storage full or unavailable: the chart keeps what this page saw
    }
    setUpdatedAt(at);
  };

  useEffect(() => {
    if (query.data) accept(query.data.licenseStatistics, undefined, false);
    if (query.data?.server) setLicenseStatus(query.data.server);
  }, [query.data]);

  const liveError = useSubscription(
    LicenseStatisticsChangedDocument,
    { serverId },
    (data) => {
      setLicenseStatus(data.licenseStatisticsChanged.server);
      accept(data.licenseStatisticsChanged.statistics, data.licenseStatisticsChanged.at, true);
    },
    query.refetch,
  );

  useEffect(() => {
    if (!flash.keys.length) return;
    const timer = setTimeout(() => setFlash({ keys: [], at: 0 }), 2500);
    return () => clearTimeout(timer);
  }, [flash]);

  const key = chartKey ?? (rows ? defaultChartKey(rows) : ALL_KEYS);
  // A point that arrived since the last tick moves the window's edge with it.
  const edge = Math.max(now, history[history.length - 1]?.t ?? 0);
  const columns = useMemo(() => chartColumns(history, key, edge), [history, key, edge]);
  // Up to the last hour; while the recorded history is shorter, the window shrinks to fit it.
  const windowFrom = Math.max(
    edge - HISTORY_WINDOW_MS,
    Math.min((history[0]?.t ?? edge) - 30_000, edge - MIN_WINDOW_MS),
  );
  const current = columns[1].length ? columns[1][columns[1].length - 1] : undefined;
  const allowed = columns[2].length ? columns[2][columns[2].length - 1] : undefined;
  const hourPeak = Math.max(0, ...columns[1].map((v) => v ?? 0));
  const sum = rows ? totals(rows) : undefined;
  const chartSelectId = useId();
  const captionId = useId();

  if (query.error && !rows) return <ErrorNote error={query.error} retry={query.refetch} />;
  if (!rows) return <p role="status">Loading statistics of {serverName}…</p>;
  const accountName = query.data?.server?.account.name;

  return (
    <div class="statistics" data-server-id={serverId}>
      <ServerStageBadge serverId={serverId} />
      <LicenseExpiryNote status={licenseStatus} />
      <p class="status-line">
        {serverName}
        {accountName ? ` · ${accountName}` : ''} ·{' '}
        {updatedAt ? `updated ${formatUtc(updatedAt, true)}` : 'waiting for changes'}
      </p>
      {/* Screen readers hear what changed, not every timestamp. */}
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {liveError && <ErrorNote error={liveError} prefix="Live updates are not available" />}
      {rows.length === 0 ? (
        <p class="panel empty">
          No licence file is loaded on {serverName} yet. Its statistics appear here as soon as one is.
        </p>
      ) : (
        <>
          {sum && (
            <ul class="tiles" aria-label="Totals">
              <li>
                <span class="tile-value">
                  {sum.inUse}
                  <small> / {limitText(sum.allowed)}</small>
                </span>
                <span class="tile-label">Concurrent licences in use / allowed</span>
              </li>
              <li>
                <span class="tile-value">{hourPeak}</span>
                <span class="tile-label">
                  Highest in use, last hour ({key === ALL_KEYS ? 'all licences' : key})
                </span>
              </li>
              <li class={sum.denials > 0 ? 'tile-alert' : ''}>
                <span class="tile-value">{sum.denials}</span>
                <span class="tile-label">Denials</span>
              </li>
            </ul>
          )}
          <div class="panel table-panel">
            <h2 id={`${serverId}-table`}>Licences</h2>
            <div class="table-scroll" role="region" aria-labelledby={`${serverId}-table`} tabIndex={0}>
              <table class="stats-table numeric" data-testid="statistics-table">
                <caption class="visually-hidden">
                  Licence statistics of {serverName}: allowed, configured and in use per licence key
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Licence</th>
                    <th scope="col">Assignable allowed</th>
                    <th scope="col">Assignable configured</th>
                    <th scope="col">Concurrent allowed</th>
                    <th scope="col">Concurrent configured</th>
                    <th scope="col">Concurrent in use</th>
                    <th scope="col">Available</th>
                    <th scope="col">Peak in use</th>
                    <th scope="col">Denials</th>
                    <th scope="col">Note</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr
                      key={r.key}
                      data-key={r.key}
                      class={`${flash.keys.includes(r.key) ? 'changed' : ''} ${r.note ? 'has-note' : ''}`}
                    >
                      <th scope="row" class="key">
                        {r.key}
                      </th>
                      <td data-col="assignableAllowed">{limitText(r.assignableAllowed)}</td>
                      <td data-col="assignableConfigured">{r.assignableConfigured}</td>
                      <td data-col="concurrentAllowed">{limitText(r.concurrentAllowed)}</td>
                      <td data-col="concurrentConfigured">{r.concurrentConfigured}</td>
                      <td data-col="concurrentInUse" class="strong">
                        {r.concurrentInUse}
                      </td>
                      <td data-col="available">{limitText(r.available)}</td>
                      <td
                        data-col="peakInUse"
                        title={r.peakAt ? `Reached ${formatUtc(r.peakAt)}` : undefined}
                      >
                        {r.peakInUse}
                      </td>
                      <td data-col="denials" class={r.denials > 0 ? 'alert' : ''}>
                        {r.denials}
                      </td>
                      <td data-col="note" class="note">
                        {r.note ?? ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <div class="grid-2">
            <figure
              class="panel chart-panel"
              aria-labelledby={captionId}
              data-testid="in-use-chart"
              data-points={columns[0].length}
              data-in-use={current ?? ''}
              data-allowed={allowed ?? ''}
            >
              <div class="panel-head">
                <h2>Concurrent in use vs allowed, last hour</h2>
                <div class="field inline">
                  <label for={chartSelectId}>Licence</label>
                  <select id={chartSelectId} value={key} onChange={(e) => setChartKey(e.currentTarget.value)}>
                    <option value={ALL_KEYS}>All concurrent licences</option>
                    {rows.map((r) => (
                      <option key={r.key} value={r.key}>
                        {r.key}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <TimeChart columns={columns} from={windowFrom / 1000} to={edge / 1000} />
              <figcaption id={captionId}>
                {current === undefined || current === null
                  ? 'No data yet.'
                  : `Now ${current} in use of ${allowed === null || allowed === undefined ? 'an uncapped pool' : `${allowed} allowed`}; highest in the last hour ${hourPeak}.`}{' '}
                <span class="muted">(Recorded by this dashboard since it opened, up to one hour.)</span>
              </figcaption>
            </figure>
            <DenialsPanel serverId={serverId} rows={rows} notes={denialNotes} />
          </div>
        </>
      )}
    </div>
  );
}

const DENIAL_REASONS: Record<string, string> = {
  EXHAUSTED: 'none left',
  SUPERVISOR_DISABLED: 'supervisor licences disabled by enforcement',
  UNLICENSED: 'server unlicensed',
  LICENSE_EXPIRED: 'licence file expired',
  CLIENT_ACCESS_UNAVAILABLE: 'no client access',
  SERVER_STANDBY: 'standby member of the switchover pair',
};

/** Refused acquisitions: counts per licence, and the denial report (who, when, why), kept current. */
function DenialsPanel({
  serverId,
  rows,
  notes,
}: {
  serverId: string;
  rows: StatisticRow[];
  notes: DenialNote[];
}) {
  const denied = rows.filter((r) => r.denials > 0);
  const total = denied.reduce((sum, r) => sum + r.denials, 0);
  const report = useQuery(LicenseDenialsDocument, { serverId, limit: 20 });
  const users = useQuery(ServerUsersDocument, total > 0 ? { serverId } : undefined);
  const names = new Map((users.data?.cicUsers ?? []).map((u) => [u.id, u.name]));
  const { refetch } = report;
  const refetchUsers = users.refetch;
  const seenTotal = useRef(total);
  useEffect(() => {
    if (total !== seenTotal.current) {
      seenTotal.current = total;
      refetch();
      refetchUsers();
    }
  }, [total, refetch, refetchUsers]);
  const entries = [...(report.data?.licenseDenials ?? [])]
    .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
    .slice(0, 20);

  return (
    <section class="panel denials" aria-labelledby="denials-heading" data-testid="denials">
      <h2 id="denials-heading">Denials</h2>
      {denied.length === 0 ? (
        <p class="empty">No licence has been refused.</p>
      ) : (
        <ul class="denial-totals">
          {denied.map((r) => (
            <li key={r.key}>
              <span class="key">{r.key}</span> refused <strong>{r.denials}</strong> time
              {r.denials === 1 ? '' : 's'}
            </li>
          ))}
        </ul>
      )}
      {entries.length > 0 && (
        <>
          <h3 id="denial-report-heading">Latest refusals</h3>
          <ol class="denial-log" aria-labelledby="denial-report-heading">
            {entries.map((d) => (
              <li key={d.id}>
                <time dateTime={d.occurredAt} title={formatUtc(d.occurredAt, true)}>
                  {d.occurredAt.slice(11, 19)}
                </time>{' '}
                <strong>
                  {d.userId
                    ? (names.get(d.userId) ?? `user ${d.userId.slice(0, 8)}`)
                    : d.stationId
                      ? 'a station'
                      : 'someone'}
                </strong>{' '}
                was refused <span class="key">{d.key}</span>{' '}
                <span class="muted">
                  ({[DENIAL_REASONS[d.reason] ?? d.reason, d.application].filter(Boolean).join(', ')})
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      {report.error && notes.length > 0 && (
        <>
          <h3>Seen while this page was open</h3>
          <ol class="denial-log">
            {notes.map((n) => (
              <li key={`${n.key}-${n.seenAt}`}>
                <time dateTime={new Date(n.seenAt).toISOString()}>
                  {formatUtc(new Date(n.seenAt).toISOString(), true)}
                </time>{' '}
                {n.key}: {n.count} refused
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

/** Expired or unlicensed is an alert; 30, 7 and 1 days before the expiry, a warning. */
function LicenseExpiryNote({ status }: { status: LicenseStatusFacts | null }) {
  const note = expiryNote(status);
  if (!note) return null;
  return (
    <p
      class={`expiry-note expiry-${note.level}`}
      role={note.level === 'unlicensed' ? 'alert' : 'status'}
      data-testid="license-expiry"
    >
      {note.text}
    </p>
  );
}

function ServerStageBadge({ serverId }: { serverId: string }) {
  const { servers } = useEnforcement();
  const status = servers?.find((s) => s.id === serverId)?.enforcementStatus;
  if (!status || !status.applicable) return null;
  return (
    <p class={`stage-badge stage-${status.stage}`}>
      Enforcement stage {status.stage}: {stageLabel(status.stage)}
    </p>
  );
}
