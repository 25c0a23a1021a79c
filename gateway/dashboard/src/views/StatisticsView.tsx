import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ErrorNote } from '../components/ErrorNote.js';
import { StaleNote } from '../components/StaleNote.js';
import { Time } from '../components/Time.js';
import { useScope } from '../context.js';
import { useEnforcement } from '../enforcement-state.js';
import { useConnectionLostAt, useNow, useQuery, useSubscription } from '../hooks.js';
import { defaultChartKey, type HistoryRange, historyPeak, liveInUse } from '../lib/usage-history.js';
import { stageLabel } from '../lib/enforcement.js';
import { expiryNote, type LicenseStatusFacts } from '../lib/expiry.js';
import { groupDenials } from '../lib/denials.js';
import {
  assignableFull,
  changedKeys,
  concurrentFullness,
  type DenialNote,
  freeForLogon,
  freeToAssign,
  fullestLicence,
  fullLicences,
  limitText,
  newDenials,
  rowNote,
  sortRows,
  type StatisticRow,
  totals,
} from '../lib/statistics.js';
import { formatLocal, formatUtc } from '../lib/time.js';
import { type Route } from '../routing.js';
import { StageHistoryPanel, UsageHistoryPanel, useUsageHistory } from './UsageHistoryPanel.js';
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
      ) : account?.servers === null ? (
        <p class="notice" role="status">
          Servers unavailable: the allocation service cannot be reached right now.
        </p>
      ) : (
        <p class="empty">{account?.name} has no servers registered yet.</p>
      )}
    </section>
  );
}

function ServerStatistics({ serverId, serverName }: { serverId: string; serverName: string }) {
  const query = useQuery(LicenseStatisticsDocument, { serverId });
  const [rows, setRows] = useState<StatisticRow[] | undefined>(undefined);
  // The platform's clock less this page's (from the live updates' times): history ends at its "now".
  const [clockOffset, setClockOffset] = useState(0);
  const [range, setRange] = useState<HistoryRange>('hour');
  const [updatedAt, setUpdatedAt] = useState<string | undefined>(undefined);
  // When this page last received the figures (epoch ms), for the stale marking.
  const [receivedAt, setReceivedAt] = useState<number | undefined>(undefined);
  const lostAt = useConnectionLostAt();
  const [flash, setFlash] = useState<{ keys: string[]; at: number }>({ keys: [], at: 0 });
  const [denialNotes, setDenialNotes] = useState<DenialNote[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [chartKey, setChartKey] = useState<string | undefined>(undefined);
  // The server's licence status: from the query, then from every live update (expiry is pushed).
  const [licenseStatus, setLicenseStatus] = useState<LicenseStatusFacts | null>(null);
  const now = useNow(5000);

  const rowsRef = useRef<StatisticRow[] | undefined>(undefined);

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
    if (at) setClockOffset(Date.parse(at) - seenAt);
    setUpdatedAt(at);
    setReceivedAt(seenAt);
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

  // History is per licence: the largest concurrent one first (the first licence when none is).
  const key = chartKey ?? (rows ? defaultChartKey(rows) : undefined);
  const platformNow = Math.max(now, receivedAt ?? 0) + clockOffset;
  const hour = useUsageHistory(serverId, key, 'hour', platformNow);
  const selected = useUsageHistory(serverId, range === 'hour' ? undefined : key, range, platformNow);
  const shown = range === 'hour' ? hour : selected;
  const chartRow = rows?.find((r) => r.key === key);
  const live = chartRow ? { at: platformNow, inUse: liveInUse(chartRow) } : undefined;
  const chartAllowed = chartRow
    ? chartRow.concurrentAllowed !== 0 || chartRow.concurrentConfigured > 0
      ? chartRow.concurrentAllowed
      : chartRow.assignableAllowed
    : null;
  // The peak tile: the platform's last hour of the chart's licence, and what is in use now.
  const hourPeak = hour.points ? historyPeak(hour.points, live?.inUse) : undefined;
  const sum = rows ? totals(rows) : undefined;
  const fullest = rows ? fullestLicence(rows) : undefined;
  const full = rows ? fullLicences(rows) : [];
  const uncapped = rows ? rows.some((r) => r.capped === false) : false;

  if (query.error && !rows) return <ErrorNote error={query.error} retry={query.refetch} />;
  if (!rows) return <p role="status">Loading statistics of {serverName}…</p>;
  const accountName = query.data?.server?.account.name;

  return (
    <div
      class={`statistics${lostAt !== undefined ? ' stale' : ''}`}
      data-server-id={serverId}
      data-stale={lostAt !== undefined ? 'true' : 'false'}
    >
      {lostAt !== undefined && <StaleNote lostAt={lostAt} updatedAt={receivedAt} />}
      <ServerStageBadge serverId={serverId} />
      <LicenseExpiryNote status={licenseStatus} />
      <p class="status-line">
        {serverName}
        {accountName ? ` · ${accountName}` : ''} ·{' '}
        {updatedAt ? (
          <>
            updated <Time iso={updatedAt} seconds zone />
          </>
        ) : (
          'waiting for changes'
        )}
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
              <li
                class={full.length > 0 ? 'tile-alert' : ''}
                data-testid="fullest-tile"
                data-state={fullest ? (full.includes(fullest.key) ? 'full' : 'open') : 'none'}
              >
                <span class="tile-value">
                  {fullest ? fullest.inUse : 0}
                  <small> / {fullest ? limitText(fullest.allowed) : '0'}</small>
                  {fullest?.ratio !== null && fullest?.ratio !== undefined && (
                    <small class="tile-percent"> ({Math.round(fullest.ratio * 100)} %)</small>
                  )}
                </span>
                <span class="tile-label">
                  {fullest ? (
                    <>
                      Concurrent in use / allowed, fullest licence (<span class="key">{fullest.key}</span>)
                      {full.length > 0 && (
                        <strong class="tile-full">
                          {' '}
                          · {full.length} licence{full.length === 1 ? '' : 's'} full
                        </strong>
                      )}
                    </>
                  ) : (
                    'No concurrent licence on this server'
                  )}
                </span>
              </li>
              <li data-testid="peak-tile" data-peak={hourPeak ?? ''}>
                <span class="tile-value">{hourPeak ?? '…'}</span>
                <span class="tile-label">
                  Highest in use, last hour
                  {key ? (
                    <>
                      {' '}
                      (<span class="key">{key}</span>)
                    </>
                  ) : (
                    ''
                  )}
                </span>
              </li>
              <li class={sum.denials > 0 ? 'tile-alert' : ''}>
                <span class="tile-value">{sum.denials}</span>
                <span class="tile-label">Refused licence acquisitions (all licences)</span>
              </li>
            </ul>
          )}
          <div class="panel table-panel">
            <h2 id={`${serverId}-table`}>Licences</h2>
            {uncapped && (
              <p class="muted table-note" data-testid="subscription-note">
                Subscription: pools without a cap are uncapped (“no cap”), usage is billed.
              </p>
            )}
            <div class="table-scroll" role="region" aria-labelledby={`${serverId}-table`} tabIndex={0}>
              <table class="stats-table numeric cards" data-testid="statistics-table">
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
                    <th scope="col">Free for logon</th>
                    <th scope="col">Free to assign</th>
                    <th scope="col">Peak in use</th>
                    <th scope="col">Denials</th>
                    <th scope="col">Note</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => {
                    const fullness = concurrentFullness(r);
                    const note = rowNote(r);
                    const logon = freeForLogon(r);
                    const assign = freeToAssign(r);
                    const assignedOut = assignableFull(r);
                    return (
                      <tr
                        key={r.key}
                        data-key={r.key}
                        data-fullness={fullness.state}
                        class={[
                          flash.keys.includes(r.key) ? 'changed' : '',
                          note ? 'has-note' : '',
                          `fullness-${fullness.state}`,
                        ]
                          .filter(Boolean)
                          .join(' ')}
                      >
                        <th scope="row" class="key">
                          {r.key}
                          {fullness.state === 'full' && (
                            <span class="badge badge-full" data-testid="full-badge">
                              Full
                            </span>
                          )}
                          {fullness.state === 'near' && fullness.ratio !== null && (
                            <span class="badge badge-near">{Math.round(fullness.ratio * 100)} %</span>
                          )}
                        </th>
                        <td data-col="assignableAllowed" data-label="Assignable allowed">
                          {limitText(r.assignableAllowed)}
                        </td>
                        <td data-col="assignableConfigured" data-label="Assignable configured">
                          {r.assignableConfigured}
                        </td>
                        <td data-col="concurrentAllowed" data-label="Concurrent allowed">
                          {limitText(r.concurrentAllowed)}
                        </td>
                        <td data-col="concurrentConfigured" data-label="Concurrent configured">
                          {r.concurrentConfigured}
                        </td>
                        <td data-col="concurrentInUse" data-label="Concurrent in use" class="strong">
                          {r.concurrentInUse}
                        </td>
                        <td
                          data-col="freeForLogon"
                          data-label="Free for logon"
                          class={logon === 0 ? 'alert strong' : ''}
                        >
                          {logon === undefined ? '—' : limitText(logon)}
                        </td>
                        <td
                          data-col="freeToAssign"
                          data-label="Free to assign"
                          class={assignedOut ? 'warn' : ''}
                          title={assignedOut ? 'Every assignable licence is assigned' : undefined}
                        >
                          {assign === undefined ? '—' : limitText(assign)}
                        </td>
                        <td
                          data-col="peakInUse"
                          data-label="Peak in use"
                          title={
                            r.peakAt
                              ? `Reached ${formatLocal(r.peakAt, { zone: true })} (${formatUtc(r.peakAt)})`
                              : undefined
                          }
                        >
                          {r.peakInUse}
                        </td>
                        <td data-col="denials" data-label="Denials" class={r.denials > 0 ? 'alert' : ''}>
                          {r.denials}
                        </td>
                        <td data-col="note" data-label="Note" class="note">
                          {note ?? ''}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
          <div class="grid-2">
            {key ? (
              <UsageHistoryPanel
                serverId={serverId}
                licenceKeys={rows.map((r) => r.key)}
                chartKey={key}
                onChartKey={setChartKey}
                range={range}
                onRange={setRange}
                history={shown}
                live={live}
                allowed={chartAllowed ?? null}
              />
            ) : null}
            <DenialsPanel serverId={serverId} rows={rows} notes={denialNotes} />
          </div>
        </>
      )}
      <StageHistoryPanel serverId={serverId} />
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
  const report = useQuery(LicenseDenialsDocument, { serverId, limit: 100 });
  const refusals = report.data?.licenseDenials.length ?? 0;
  const users = useQuery(ServerUsersDocument, total > 0 || refusals > 0 ? { serverId } : undefined);
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
  // One line per person: a logon refused two concurrent licences is one refusal to a supervisor.
  const people = groupDenials(report.data?.licenseDenials ?? []).slice(0, 20);
  // A refusal names someone the user list does not hold (created since the list was read): ask
  // for the list once more for that set of people, not in a loop.
  const unnamed = people.flatMap((p) => (p.userId && !names.has(p.userId) ? [p.userId] : [])).join(' ');
  const askedFor = useRef('');
  useEffect(() => {
    if (unnamed === '' || users.loading || users.error || askedFor.current === unnamed) return;
    askedFor.current = unnamed;
    refetchUsers();
  }, [unnamed, users.loading, users.error, refetchUsers]);
  // A failed list is asked for again after 1, 2, 4 … (at most 30) seconds.
  const failures = useRef(0);
  useEffect(() => {
    if (!users.error) {
      failures.current = 0;
      return;
    }
    const timer = setTimeout(refetchUsers, Math.min(30_000, 1000 * 2 ** failures.current++));
    return () => clearTimeout(timer);
  }, [users.error, refetchUsers]);

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
      {people.length > 0 && (
        <>
          <h3 id="denial-report-heading">Latest refusals</h3>
          <ol class="denial-log" aria-labelledby="denial-report-heading">
            {people.map((p) => (
              <li key={p.id} data-person={p.userId ?? p.stationId ?? ''}>
                <Time iso={p.latest} seconds date={!isToday(p.latest)} />{' '}
                <strong>
                  {p.userId
                    ? (names.get(p.userId) ?? `user ${p.userId.slice(0, 8)}`)
                    : p.stationId
                      ? 'a station'
                      : 'someone'}
                </strong>{' '}
                was refused{' '}
                {p.licences.map((l, i) => (
                  <span key={l.key}>
                    {i > 0 ? ', ' : ''}
                    <span class="key">{l.key}</span>
                    {l.count > 1 ? ` (${l.count} times)` : ''}
                  </span>
                ))}{' '}
                <span class="muted">
                  ({[...p.reasons.map((r) => DENIAL_REASONS[r] ?? r), ...p.applications].join(', ')})
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
                <Time iso={new Date(n.seenAt).toISOString()} seconds /> {n.key}: {n.count} refused
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

/** Whether an instant falls on today in local time (then the log leaves its date out). */
function isToday(iso: string): boolean {
  const d = new Date(iso);
  const now = new Date();
  return (
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate()
  );
}
