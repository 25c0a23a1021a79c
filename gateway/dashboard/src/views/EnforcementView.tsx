import { ErrorNote } from '../components/ErrorNote.js';
import { useScope } from '../context.js';
import { type ServerEnforcement, useEnforcement } from '../enforcement-state.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useConnectionLostAt, useNow, useQuery } from '../hooks.js';
import { StaleNote } from '../components/StaleNote.js';
import { Time } from '../components/Time.js';
import { LastCheckInDocument } from '../__generated__/graphql.js';
import { bannerLevel, disabledFeatures, stageLabel, STAGE_LABELS } from '../lib/enforcement.js';
import { describeDuration, formatCountdown } from '../lib/time.js';

/** Virtual-cloud enforcement per server: stage, warnings, what is switched off, the next stage. */
export function EnforcementView() {
  const { account } = useScope();
  const { servers, error, liveError, changes, refetch } = useEnforcement();
  const lostAt = useConnectionLostAt();
  const [receivedAt, setReceivedAt] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (servers) setReceivedAt(Date.now());
  }, [servers]);
  return (
    <section
      aria-labelledby="enforcement-heading"
      class={`view${lostAt !== undefined ? ' stale' : ''}`}
      data-stale={lostAt !== undefined ? 'true' : 'false'}
    >
      <div class="view-head">
        <h1 id="enforcement-heading">Enforcement</h1>
        <p class="muted">
          Servers with virtual-cloud licences check in every 12 hours; each grace period without a good
          check-in moves a server one stage on.
        </p>
      </div>
      {lostAt !== undefined && <StaleNote lostAt={lostAt} updatedAt={receivedAt} />}
      {error && <ErrorNote error={error} retry={refetch} />}
      {liveError && <ErrorNote error={liveError} prefix="Live stage changes are not available" />}
      {servers === undefined && !error && <p role="status">Loading enforcement status…</p>}
      {servers === null && (
        <p class="notice" role="status">
          Servers unavailable: the allocation service cannot be reached right now.
        </p>
      )}
      {servers && servers.length === 0 && <p class="empty">{account?.name} has no servers registered yet.</p>}
      {servers && servers.length > 0 && (
        <ul class="server-cards" aria-label="Servers">
          {servers.map((s) => (
            <ServerCard key={s.id} server={s} />
          ))}
        </ul>
      )}
      <section class="panel" aria-labelledby="changes-heading">
        <h2 id="changes-heading">Stage changes</h2>
        <div aria-live="polite" data-testid="stage-changes">
          {changes.length === 0 ? (
            <p class="empty">No stage change since this page opened.</p>
          ) : (
            <ol class="change-log">
              {changes.map((c) => (
                <li key={c.id}>
                  <Time iso={c.at} seconds /> {c.serverName} moved from stage {c.from} ({stageLabel(c.from)})
                  to stage {c.to} ({stageLabel(c.to)})
                </li>
              ))}
            </ol>
          )}
        </div>
      </section>
    </section>
  );
}

/** A server's card; its status is null while enforcement is unavailable (the server still shows). */
function ServerCard({ server }: { server: ServerEnforcement }) {
  const status = server.enforcementStatus;
  if (!status) {
    const headingId = `server-${server.id}-heading`;
    return (
      <li class="panel server-card" aria-labelledby={headingId} data-server-id={server.id}>
        <h2 id={headingId}>{server.name}</h2>
        <p class="muted" data-testid="enforcement-unavailable">
          Enforcement status unavailable: the enforcement service cannot be reached right now.
        </p>
      </li>
    );
  }
  return <ServerStatusCard server={server} status={status} />;
}

function ServerStatusCard({
  server,
  status,
}: {
  server: ServerEnforcement;
  status: NonNullable<ServerEnforcement['enforcementStatus']>;
}) {
  const { clockOffsetMs } = useEnforcement();
  const now = useNow(1000) + clockOffsetMs;
  const level = bannerLevel(status);
  const effects = disabledFeatures(status);
  const headingId = `server-${server.id}-heading`;
  const next = status.nextStageAt ? Date.parse(status.nextStageAt) : undefined;
  return (
    <li class={`panel server-card level-${level}`} aria-labelledby={headingId} data-server-id={server.id}>
      <h2 id={headingId}>{server.name}</h2>
      {!status.applicable ? (
        <p class="muted">Not enforced: this server’s licence has no virtual-cloud feature.</p>
      ) : (
        <>
          <p class="stage" data-stage={status.stage}>
            <span class="stage-number">Stage {status.stage}</span>{' '}
            <span class="stage-name">{stageLabel(status.stage)}</span>
          </p>
          <ol class="stepper" aria-label={`Stage ${status.stage} of 6`}>
            {Object.entries(STAGE_LABELS).map(([n, label]) => (
              <li
                key={n}
                class={Number(n) < status.stage ? 'past' : Number(n) === status.stage ? 'current' : ''}
                aria-current={Number(n) === status.stage ? 'step' : undefined}
                title={label}
              >
                <span class="visually-hidden">{`Stage ${n}: ${label}`}</span>
                <span aria-hidden="true">{n}</span>
              </li>
            ))}
          </ol>
          {level === 'warning' && (
            <p class="banner banner-warning" role="status">
              Warning: {server.name} has not checked in with the cloud. Users see a status-bar warning.
            </p>
          )}
          {level === 'obtrusive' && (
            <p class="banner banner-obtrusive" role="alert">
              Obtrusive warning: {server.name} has not checked in with the cloud. Users see an obtrusive
              warning; supervisor licences will be disabled next.
            </p>
          )}
          <dl class="facts">
            <dt>Since</dt>
            <dd>
              <Time iso={status.since} />
            </dd>
            <dt>Last check-in</dt>
            <dd data-testid="last-check-in">
              <LastCheckIn serverId={server.id} lastGood={status.lastGoodCheckIn} stage={status.stage} />
            </dd>
            <dt>Disabled</dt>
            <dd>
              {effects.length === 0 ? (
                'Nothing'
              ) : (
                <ul class="effects">
                  {effects.map((e) => (
                    <li key={e}>{e}</li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Supervisor licences</dt>
            <dd>{status.supervisorEnabled ? 'Available' : 'Disabled'}</dd>
            <dt>Call ports</dt>
            <dd>{status.callPortLimit == null ? 'Not limited' : `Limited to ${status.callPortLimit}`}</dd>
            <dt>Next stage</dt>
            <dd>
              {next === undefined ? (
                status.stage >= 6 ? (
                  'This is the last stage'
                ) : (
                  'None scheduled'
                )
              ) : (
                <>
                  <span class="countdown" aria-hidden="true">
                    {formatCountdown(next - now)}
                  </span>
                  <span class="visually-hidden">
                    {next - now > 0
                      ? `Stage ${status.stage + 1} begins in ${describeDuration(next - now)}`
                      : `Stage ${status.stage + 1} is due`}
                  </span>{' '}
                  <span class="muted">
                    (stage {status.stage + 1} at <Time iso={status.nextStageAt} zone />)
                  </span>
                </>
              )}
            </dd>
          </dl>
        </>
      )}
    </li>
  );
}

const CHECK_IN_KINDS: Record<string, string> = {
  PERIODIC: 'periodic',
  STARTUP: 'at start-up',
  SWITCHOVER: 'at switchover',
  OVERRIDE: 'override by the licensing team',
};

/** The latest check-in attempt (good or refused), and the latest good one when that differs. */
function LastCheckIn({
  serverId,
  lastGood,
  stage,
}: {
  serverId: string;
  lastGood?: string | null;
  stage: number;
}) {
  const query = useQuery(LastCheckInDocument, { serverId });
  const { refetch } = query;
  // A stage change or a good check-in means a new attempt: read it (not on the first render).
  const seen = useRef(`${lastGood ?? ''}|${stage}`);
  useEffect(() => {
    const now = `${lastGood ?? ''}|${stage}`;
    if (now !== seen.current) {
      seen.current = now;
      refetch();
    }
  }, [lastGood, stage, refetch]);
  const last = query.data?.enforcementCheckIns[0];
  if (!last) {
    return <>{lastGood ? <Time iso={lastGood} zone /> : query.loading ? '…' : 'None yet'}</>;
  }
  const verdict = last.success === null ? 'undecided' : last.success ? 'good' : 'refused';
  return (
    <>
      <Time iso={last.occurredAt} zone /> ({CHECK_IN_KINDS[last.kind] ?? last.kind}, {verdict})
      {lastGood && lastGood !== last.occurredAt && (
        <>
          ; last good <Time iso={lastGood} zone />
        </>
      )}
      {!lastGood && last.success === false && '; none good yet'}
    </>
  );
}
