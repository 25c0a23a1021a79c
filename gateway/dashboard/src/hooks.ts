import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request } from './api/graphql.js';
import { type LiveConnection, type LiveState, subscribeTyped } from './api/live.js';
import { useSession } from './context.js';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  refetch(): void;
  /** Replaces the data in place (a subscription event carries the new state). */
  setData(update: (previous: T | undefined) => T | undefined): void;
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(String(error), undefined);
}

/** Runs a typed query while `variables` is defined; re-runs when they change or on refetch. */
export function useQuery<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables | undefined,
): QueryState<TResult> {
  const { session, signOut } = useSession();
  const [data, setDataState] = useState<TResult | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(variables !== undefined);
  const [generation, setGeneration] = useState(0);
  const key = variables === undefined ? undefined : JSON.stringify(variables);
  const lastKey = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (key === undefined) {
      setLoading(false);
      return;
    }
    if (lastKey.current !== key) {
      // Another server or account: do not show the previous one's data meanwhile.
      setDataState(undefined);
      lastKey.current = key;
    }
    const abort = new AbortController();
    setLoading(true);
    request(document, JSON.parse(key) as TVariables, session.token, abort.signal).then(
      (result) => {
        if (abort.signal.aborted) return;
        setDataState(result);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (abort.signal.aborted) return;
        const apiError = asApiError(failure);
        if (apiError.code === 'UNAUTHENTICATED') signOut(`Signed out: ${apiError.message}`);
        setError(apiError);
        setLoading(false);
      },
    );
    return () => abort.abort();
  }, [document, key, generation, session.token]);

  const refetch = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback(
    (update: (previous: TResult | undefined) => TResult | undefined) => setDataState(update),
    [],
  );
  return { data, error, loading, refetch, setData };
}

/**
 * Subscribes over the session's graphql-ws connection while `variables` is defined. `onReconnect`
 * runs after the connection came back, to fetch what happened in between.
 */
export function useSubscription<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables | undefined,
  onData: (data: TResult) => void,
  onReconnect?: () => void,
): ApiError | undefined {
  const { live } = useSession();
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const handlers = useRef({ onData, onReconnect });
  handlers.current = { onData, onReconnect };
  const key = variables === undefined ? undefined : JSON.stringify(variables);

  useEffect(() => {
    if (key === undefined) return;
    setError(undefined);
    const unsubscribe = subscribeTyped(live, document, JSON.parse(key) as TVariables, {
      next: (value) => {
        setError(undefined);
        handlers.current.onData(value);
      },
      error: setError,
    });
    const offReconnect = live.onReconnect(() => handlers.current.onReconnect?.());
    return () => {
      offReconnect();
      unsubscribe();
    };
  }, [document, key, live]);
  return error;
}

/** The current time, refreshed every `intervalMs` (for countdowns and "updated … ago"). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A value kept in localStorage (wall mode, chosen server, ...); storage failures are ignored. */
export function useStoredState(key: string, initial: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => {
    try {
      return localStorage.getItem(key) ?? initial;
    } catch {
      return initial;
    }
  });
  const set = useCallback(
    (next: string) => {
      setValue(next);
      try {
        localStorage.setItem(key, next);
      } catch {
        // private mode or full storage: the setting lasts for this page only
      }
    },
    [key],
  );
  return [value, set];
}

/** The state of the session's live connection (connecting, live, reconnecting, offline). */
export function useLiveState(): LiveState {
  const { live } = useSession();
  const [state, setState] = useState<LiveState>(() => live.state());
  useEffect(() => {
    setState(live.state());
    return live.onState(setState);
  }, [live]);
  return state;
}

interface ConnectionTracker {
  /** When the connection was lost (epoch ms), while it stays lost after having been live */
  lostAt: number | undefined;
}

const trackers = new WeakMap<LiveConnection, ConnectionTracker>();

/**
 * Remembers, per live connection, when it was lost: views that mount while it is down (the
 * supervisor switches views) know since when too. "reconnecting" only follows a live connection.
 */
export function connectionTracker(live: LiveConnection): ConnectionTracker {
  let tracker = trackers.get(live);
  if (!tracker) {
    const created: ConnectionTracker = {
      lostAt: live.state() === 'reconnecting' ? Date.now() : undefined,
    };
    let wasLive = live.state() === 'live' || live.state() === 'reconnecting';
    live.onState((state) => {
      if (state === 'live') {
        wasLive = true;
        created.lostAt = undefined;
      } else if (wasLive && (state === 'reconnecting' || state === 'offline')) {
        created.lostAt ??= Date.now();
      }
    });
    trackers.set(live, created);
    tracker = created;
  }
  return tracker;
}

/**
 * When the live connection was lost (epoch ms), while it stays lost after having been live; undefined
 * while live or before the first connection. Figures shown since then may be out of date.
 */
export function useConnectionLostAt(): number | undefined {
  const { live } = useSession();
  const tracker = connectionTracker(live);
  const state = useLiveState();
  return state === 'live' ? undefined : tracker.lostAt;
}
