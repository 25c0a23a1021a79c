import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorNote } from '../components/ErrorNote.js';
import { StaleNote } from '../components/StaleNote.js';
import { Time } from '../components/Time.js';
import { useSession } from '../context.js';
import { useConnectionLostAt, useQuery, useSubscription } from '../hooks.js';
import { stageLabel } from '../lib/enforcement.js';
import {
  type FleetServerFacts,
  fleetCounts,
  rankFleet,
  type RecentDenials,
  recentTotals,
  summariseServers,
} from '../lib/fleet.js';
import { expiryNote } from '../lib/expiry.js';
import { limitText, type StatisticRow } from '../lib/statistics.js';
import { formatRoute, type Route } from '../routing.js';
import { seesManyAccounts } from '../session/access.js';
import {
  EnforcementStageChangedDocument,
  FleetOwnServersDocument,
  FleetRecentDenialsDocument,
  type FleetServersQuery,
  FleetServersDocument,
  LicenseStatisticsChangedDocument,
  LicenseStatisticsDocument,
} from '../__generated__/graphql.js';

interface Props {
  route: Route;
  navigate(route: Route): void;
}

type FleetAccount = FleetServersQuery['accounts'][number];

/** Lines shown in the ranking; the rest are summarised. */
const RANKED_LINES = 50;

/**
 * Every server the signed-in person may see, each licence's concurrent pool ranked by how full it
 * is (exhausted and nearly exhausted first), with the server's enforcement stage; live, and
 * filtered by account. The landing page of administrators and partners.
 */
export function FleetView({ route, navigate }: Props) {
  const { session } = useSession();
  const many = seesManyAccounts(session.roles);
  const all = useQuery(FleetServersDocument, many ? {} : undefined);
  const own = useQuery(
    FleetOwnServersDocument,
    many || !session.accountId ? undefined : { id: session.accountId },
  );
  const query = many ? all : own;
  const accounts: FleetAccount[] | undefined = many
    ? all.data?.accounts
    : own.data
      ? own.data.account
        ? [own.data.account]
        : []
      : undefined;
  const { refetch } = query;
  // A stage change anywhere the caller may see: read the stages again.
  useSubscription(
    EnforcementStageChangedDocument,
    accounts ? (many ? {} : { accountId: session.accountId }) : undefined,
    () => refetch(),
    refetch,
  );

  const filter = route.params['account'] ?? '';
  const siteFilter = route.params['site'] ?? '';
  const shown = (accounts ?? []).filter((a) => !filter || a.id === filter);
  // The sites that have a server among the accounts shown (the site filter's choices).
  const sites = shown.flatMap((a) =>
    a.installSites
      .filter((site) => (a.servers ?? []).some((s) => s.installSiteId === site.id))
      .map((site) => ({ id: site.id, name: shown.length > 1 ? `${site.name} (${a.name})` : site.name })),
  );
  const site = sites.some((s) => s.id === siteFilter) ? siteFilter : '';
  const servers: FleetServerFacts[] = shown.flatMap((a) =>
    (a.servers ?? [])
      // The standby member shares its pair's pools: its active partner speaks for both.
      .filter((s) => !s.standby && (!site || s.installSiteId === site))
      .map((s) => ({ id: s.id, name: s.name, accountId: a.id, accountName: a.name })),
  );
  const [rows, setRows] = useState<ReadonlyMap<string, StatisticRow[]>>(new Map());
  const [receivedAt, setReceivedAt] = useState<number | undefined>(undefined);
  const onRows = useCallback((serverId: string, next: StatisticRow[]) => {
    setRows((previous) => new Map(previous).set(serverId, next));
    setReceivedAt(Date.now());
  }, []);
  const [recent, setRecent] = useState<ReadonlyMap<string, ReadonlyMap<string, RecentDenials>>>(new Map());
  const onRecent = useCallback((serverId: string, next: ReadonlyMap<string, RecentDenials>) => {
    setRecent((previous) => new Map(previous).set(serverId, next));
  }, []);
  const lines = useMemo(
    () => rankFleet(servers, rows, recent),
    [servers.map((s) => s.id).join(), rows, recent],
  );
  const counts = fleetCounts(lines);
  const refused = recentTotals(lines);
  const siteFilterId = useId();
  const summaries = summariseServers(servers, rows, lines);
  const loaded = servers.filter((s) => rows.has(s.id)).length;
  const lostAt = useConnectionLostAt();
  const filterId = useId();
  const stageOf = new Map(
    shown.flatMap((a) => (a.servers ?? []).map((s) => [s.id, s.enforcementStatus] as const)),
  );
  const enforced = shown.flatMap((a) => a.servers ?? []).filter((s) => s.enforcementStatus?.applicable);
  const warned = enforced.filter((s) => (s.enforcementStatus?.stage ?? 0) >= 2).length;
  const serverOf = new Map(shown.flatMap((a) => (a.servers ?? []).map((s) => [s.id, s] as const)));
  const expiring = servers.filter((s) => expiryNote(serverOf.get(s.id))).length;

  return (
    <section
      aria-labelledby="fleet-heading"
      class={`view fleet${lostAt !== undefined ? ' stale' : ''}`}
      data-stale={lostAt !== undefined ? 'true' : 'false'}
    >
      <div class="view-head">
        <h1 id="fleet-heading">Fleet overview</h1>
        {accounts && accounts.length > 1 && (
          <div class="field inline">
            <label for={filterId}>Show</label>
            <select
              id={filterId}
              value={filter}
              onChange={(e) =>
                navigate({
                  view: 'fleet',
                  params: e.currentTarget.value ? { account: e.currentTarget.value } : {},
                })
              }
            >
              <option value="">All accounts ({accounts.length})</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {sites.length > 1 && (
          <div class="field inline">
            <label for={siteFilterId}>Site</label>
            <select
              id={siteFilterId}
              value={site}
              onChange={(e) =>
                navigate({
                  view: 'fleet',
                  params: {
                    ...(filter ? { account: filter } : {}),
                    ...(e.currentTarget.value ? { site: e.currentTarget.value } : {}),
                  },
                })
              }
            >
              <option value="">All sites ({sites.length})</option>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {lostAt !== undefined && <StaleNote lostAt={lostAt} updatedAt={receivedAt} />}
      {query.error && <ErrorNote error={query.error} retry={refetch} />}
      {!accounts && !query.error && <p role="status">Loading the servers you may see…</p>}
      {servers.map((s) => (
        <ServerFeed key={s.id} serverId={s.id} onRows={onRows} onRecent={onRecent} />
      ))}
      {accounts && servers.length === 0 && (
        <div class="panel empty-fleet" data-testid="fleet-empty">
          <p class="empty">
            {shown.length === 0
              ? 'You may see no account yet.'
              : `No server to show for ${shown.map((a) => a.name).join(', ')}.`}
          </p>
          <p>
            Servers appear here, ranked by how close their licences are to running out, once they are
            registered and visible to you.{' '}
            {shown.length > 0 && (
              <a
                href={formatRoute({ view: 'accounts', params: { account: shown[0]!.id } })}
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ view: 'accounts', params: { account: shown[0]!.id } });
                }}
              >
                See {shown[0]!.name}’s orders and activation files
              </a>
            )}
          </p>
        </div>
      )}
      {servers.length > 0 && (
        <>
          <ul class="tiles" aria-label="Fleet totals">
            <li>
              <span class="tile-value">{servers.length}</span>
              <span class="tile-label">
                Server{servers.length === 1 ? '' : 's'} in {shown.length} account
                {shown.length === 1 ? '' : 's'}
              </span>
            </li>
            <li class={counts.full > 0 ? 'tile-alert' : ''} data-testid="fleet-full">
              <span class="tile-value">{counts.full}</span>
              <span class="tile-label">Licences exhausted (100 % in use)</span>
            </li>
            <li data-testid="fleet-near">
              <span class="tile-value">{counts.near}</span>
              <span class="tile-label">Licences nearly exhausted (80 % or more)</span>
            </li>
            <li
              class={refused && refused.lastHour > 0 ? 'tile-alert' : ''}
              data-testid="fleet-refused"
              data-last-hour={refused?.lastHour ?? ''}
              data-last-day={refused?.lastDay ?? ''}
            >
              <span class="tile-value">{refused ? refused.lastHour : '…'}</span>
              <span class="tile-label">
                Refused in the last hour{refused ? ` (${refused.lastDay} in the last 24 hours)` : ''}
              </span>
            </li>
            <li class={warned > 0 ? 'tile-alert' : ''}>
              <span class="tile-value">{warned}</span>
              <span class="tile-label">Servers at enforcement stage 2 or beyond</span>
            </li>
            <li class={expiring > 0 ? 'tile-alert' : ''} data-testid="fleet-expiry">
              <span class="tile-value">{expiring}</span>
              <span class="tile-label">
                Servers whose licence expires within 30 days, expired or unlicensed
              </span>
            </li>
          </ul>
          <div class="panel table-panel">
            <h2 id="fleet-ranking">Licences by how full they are</h2>
            {loaded < servers.length && (
              <p class="muted" role="status">
                Statistics of {loaded} of {servers.length} servers so far…
              </p>
            )}
            {lines.length === 0 && loaded === servers.length ? (
              <p class="empty">No server has a concurrent licence loaded.</p>
            ) : (
              <div class="table-scroll" role="region" aria-labelledby="fleet-ranking" tabIndex={0}>
                <table class="numeric cards fleet-table" data-testid="fleet-table">
                  <caption class="visually-hidden">
                    Concurrent licences of every server shown, fullest first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Licence</th>
                      <th scope="col" class="text">
                        Server
                      </th>
                      <th scope="col" class="text">
                        Account
                      </th>
                      <th scope="col">In use</th>
                      <th scope="col">Allowed</th>
                      <th scope="col">Free for logon</th>
                      <th scope="col">
                        <abbr title="Refused in the last hour / the last 24 hours">Refused 1 h / 24 h</abbr>
                      </th>
                      <th scope="col" class="text">
                        Enforcement
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {lines.slice(0, RANKED_LINES).map((l) => {
                      const stage = stageOf.get(l.serverId);
                      const link = formatRoute({ view: 'statistics', params: { server: l.serverId } });
                      return (
                        <tr
                          key={`${l.serverId}/${l.key}`}
                          data-server-id={l.serverId}
                          data-key={l.key}
                          data-fullness={l.state}
                          class={`fullness-${l.state}`}
                        >
                          <th scope="row" class="key">
                            {l.key}
                            {l.state === 'full' && <span class="badge badge-full">Full</span>}
                            {l.state === 'near' && l.ratio !== null && (
                              <span class="badge badge-near">{Math.round(l.ratio * 100)} %</span>
                            )}
                          </th>
                          <td class="text" data-label="Server" data-col="server">
                            <a
                              href={link}
                              onClick={(e) => {
                                e.preventDefault();
                                navigate({ view: 'statistics', params: { server: l.serverId } });
                              }}
                            >
                              {l.serverName}
                            </a>
                          </td>
                          <td class="text" data-label="Account" data-col="account">
                            {l.accountName}
                          </td>
                          <td class="strong" data-label="In use" data-col="inUse">
                            {l.inUse}
                          </td>
                          <td data-label="Allowed" data-col="allowed">
                            {limitText(l.allowed)}
                          </td>
                          <td
                            data-label="Free for logon"
                            data-col="freeForLogon"
                            class={l.free === 0 ? 'alert strong' : ''}
                          >
                            {l.free === undefined ? '—' : limitText(l.free)}
                          </td>
                          <td
                            data-label="Refused 1 h / 24 h"
                            data-col="denials"
                            data-last-hour={l.recent?.lastHour ?? ''}
                            data-last-day={l.recent?.lastDay ?? ''}
                            class={l.recent && l.recent.lastHour > 0 ? 'alert' : ''}
                            title={`${l.denials} refused in all`}
                          >
                            {l.recent ? `${l.recent.lastHour} / ${l.recent.lastDay}` : '…'}
                          </td>
                          <td class="text" data-label="Enforcement" data-col="stage">
                            {!stage || !stage.applicable ? (
                              'not enforced'
                            ) : (
                              <>
                                stage {stage.stage} ({stageLabel(stage.stage)})
                                {stage.nextStageAt && (
                                  <span class="muted">
                                    {' '}
                                    · stage {stage.stage + 1} at <Time iso={stage.nextStageAt} />
                                  </span>
                                )}
                              </>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
            {lines.length > RANKED_LINES && (
              <p class="muted">
                The {RANKED_LINES} fullest of {lines.length} licences; pick an account to see fewer.
              </p>
            )}
          </div>
          <section class="panel" aria-labelledby="fleet-servers">
            <h2 id="fleet-servers">Servers</h2>
            <ul class="fleet-servers" data-testid="fleet-servers">
              {summaries
                .map((summary) => ({ summary, facts: servers.find((s) => s.id === summary.id)! }))
                .sort(
                  (a, b) =>
                    b.summary.full - a.summary.full ||
                    b.summary.near - a.summary.near ||
                    (stageOf.get(b.summary.id)?.stage ?? 0) - (stageOf.get(a.summary.id)?.stage ?? 0) ||
                    a.facts.name.localeCompare(b.facts.name),
                )
                .map(({ summary, facts }) => {
                  const stage = stageOf.get(summary.id);
                  const note = expiryNote(serverOf.get(summary.id));
                  return (
                    <li
                      key={summary.id}
                      data-server-id={summary.id}
                      class={summary.full > 0 ? 'fullness-full' : summary.near > 0 ? 'fullness-near' : ''}
                    >
                      <a
                        class="server-name"
                        href={formatRoute({ view: 'statistics', params: { server: summary.id } })}
                        onClick={(e) => {
                          e.preventDefault();
                          navigate({ view: 'statistics', params: { server: summary.id } });
                        }}
                      >
                        {facts.name}
                      </a>{' '}
                      <span class="muted">· {facts.accountName}</span>
                      <p class="server-facts">
                        {!summary.loaded
                          ? 'Loading…'
                          : !summary.licensed
                            ? 'No licence file loaded'
                            : summary.fullest
                              ? `${summary.full} full, ${summary.near} nearly full; fullest ${summary.fullest.key} ${summary.fullest.inUse} / ${limitText(summary.fullest.allowed)}`
                              : 'No concurrent licence'}
                        {' · '}
                        {!stage || !stage.applicable ? 'not enforced' : `enforcement stage ${stage.stage}`}
                      </p>
                      {note && (
                        <p class={`expiry-note expiry-${note.level}`} data-testid="fleet-expiry-note">
                          {note.text}
                        </p>
                      )}
                    </li>
                  );
                })}
            </ul>
          </section>
        </>
      )}
    </section>
  );
}

const RECENT_REFRESH_MS = 60_000;

/**
 * Keeps one server's statistics current (query, then every live change) and its refusals of the
 * last hour and day (asked again when its denial count moves, and each minute as the hour slides);
 * renders nothing.
 */
function ServerFeed({
  serverId,
  onRows,
  onRecent,
}: {
  serverId: string;
  onRows(serverId: string, rows: StatisticRow[]): void;
  onRecent(serverId: string, recent: ReadonlyMap<string, RecentDenials>): void;
}) {
  const query = useQuery(LicenseStatisticsDocument, { serverId });
  const recent = useQuery(FleetRecentDenialsDocument, { serverId });
  const [denials, setDenials] = useState<number | undefined>(undefined);
  const refetchRecent = recent.refetch;
  useEffect(() => {
    if (query.data) onRows(serverId, query.data.licenseStatistics);
  }, [query.data, serverId, onRows]);
  useEffect(() => {
    if (recent.data) onRecent(serverId, new Map(recent.data.licenseRecentDenials.map((d) => [d.key, d])));
  }, [recent.data, serverId, onRecent]);
  useEffect(() => {
    const timer = setInterval(refetchRecent, RECENT_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetchRecent]);
  const seen = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (denials === undefined) return;
    if (seen.current !== undefined && seen.current !== denials) refetchRecent();
    seen.current = denials;
  }, [denials, refetchRecent]);
  const total = (rows: readonly StatisticRow[]) => rows.reduce((sum, r) => sum + r.denials, 0);
  useEffect(() => {
    if (query.data) setDenials(total(query.data.licenseStatistics));
  }, [query.data]);
  useSubscription(
    LicenseStatisticsChangedDocument,
    { serverId },
    (data) => {
      onRows(serverId, data.licenseStatisticsChanged.statistics);
      setDenials(total(data.licenseStatisticsChanged.statistics));
    },
    query.refetch,
  );
  return null;
}
