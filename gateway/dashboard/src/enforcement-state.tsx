import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { type ApiError } from './api/graphql.js';
import {
  EnforcementOverviewDocument,
  type EnforcementOverviewQuery,
  EnforcementStageChangedDocument,
} from './__generated__/graphql.js';
import { useQuery, useSubscription } from './hooks.js';

export type ServerEnforcement = NonNullable<
  NonNullable<EnforcementOverviewQuery['account']>['servers']
>[number];

export interface StageChangeNote {
  id: string;
  serverId: string;
  serverName: string;
  from: number;
  to: number;
  at: string;
}

export interface EnforcementState {
  /** undefined while loading; null while allocation is unavailable (no server list at all). */
  servers: ServerEnforcement[] | null | undefined;
  error: ApiError | undefined;
  liveError: ApiError | undefined;
  changes: StageChangeNote[];
  loading: boolean;
  /** The platform's clock minus this browser's (from the status's asOf), for countdowns */
  clockOffsetMs: number;
  refetch(): void;
}

const EnforcementContext = createContext<EnforcementState | undefined>(undefined);

export function useEnforcement(): EnforcementState {
  const value = useContext(EnforcementContext);
  if (!value) throw new Error('useEnforcement outside EnforcementProvider');
  return value;
}

/**
 * The enforcement status of the chosen account's servers, kept live for every view: the banner in
 * the page header and the enforcement view read the same state. A stage change event triggers a
 * fresh read (it carries from/to, the status adds since, next stage and effects).
 */
export function EnforcementProvider({
  accountId,
  children,
}: {
  accountId: string | undefined;
  children: ComponentChildren;
}) {
  const query = useQuery(EnforcementOverviewDocument, accountId ? { accountId } : undefined);
  const [changes, setChanges] = useState<StageChangeNote[]>([]);
  useEffect(() => setChanges([]), [accountId]);

  const liveError = useSubscription(
    EnforcementStageChangedDocument,
    accountId ? { accountId } : undefined,
    (data) => {
      const change = data.enforcementStageChanged;
      setChanges((previous) =>
        [
          {
            id: `${change.server.id}:${change.at}:${change.to}`,
            serverId: change.server.id,
            serverName: change.server.name,
            from: change.from,
            to: change.to,
            at: change.at,
          },
          ...previous.filter((c) => c.id !== `${change.server.id}:${change.at}:${change.to}`),
        ].slice(0, 20),
      );
      // Show the new stage at once; the fresh read adds since, next stage and effects.
      query.setData((previous) =>
        previous?.account?.servers
          ? {
              account: {
                ...previous.account,
                servers: previous.account.servers.map((s) =>
                  s.id === change.server.id && s.enforcementStatus
                    ? { ...s, enforcementStatus: { ...s.enforcementStatus, stage: change.to } }
                    : s,
                ),
              },
            }
          : previous,
      );
      query.refetch();
    },
    query.refetch,
  );

  const servers = query.data?.account?.servers;
  // Countdowns run on the platform's clock: the browser's may be off (or a test's clock moved).
  const [clockOffsetMs, setClockOffsetMs] = useState(0);
  useEffect(() => {
    const asOf = servers?.find((s) => s.enforcementStatus)?.enforcementStatus?.asOf;
    if (asOf) setClockOffsetMs(Date.parse(asOf) - Date.now());
  }, [servers]);

  // When a countdown runs out, read again (the stage moves on its own, event or not).
  const nextDue = useMemo(() => {
    const now = Date.now() + clockOffsetMs;
    const times = (servers ?? [])
      .map((s) => (s.enforcementStatus?.nextStageAt ? Date.parse(s.enforcementStatus.nextStageAt) : NaN))
      .filter((t) => Number.isFinite(t) && t > now);
    return times.length ? Math.min(...times) : undefined;
  }, [servers, clockOffsetMs]);
  const { refetch } = query;
  useEffect(() => {
    if (nextDue === undefined) return;
    const wait = nextDue - (Date.now() + clockOffsetMs) + 1500;
    if (wait > 2 ** 31 - 1) return;
    const timer = setTimeout(refetch, Math.max(0, wait));
    return () => clearTimeout(timer);
  }, [nextDue, clockOffsetMs, refetch]);

  const retry = useCallback(() => refetch(), [refetch]);
  const value = useMemo<EnforcementState>(
    () => ({
      servers,
      error: query.error,
      liveError,
      changes,
      loading: query.loading,
      clockOffsetMs,
      refetch: retry,
    }),
    [servers, query.error, liveError, changes, query.loading, clockOffsetMs, retry],
  );
  return <EnforcementContext.Provider value={value}>{children}</EnforcementContext.Provider>;
}
