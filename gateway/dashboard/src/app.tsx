import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { connectLive } from './api/live.js';
import { EnforcementBanner } from './components/EnforcementBanner.js';
import { LiveIndicator } from './components/LiveIndicator.js';
import {
  type ScopeAccount,
  ScopeContext,
  type ScopeState,
  SessionContext,
  type SessionState,
  useSession,
} from './context.js';
import { EnforcementProvider } from './enforcement-state.js';
import { useQuery, useStoredState } from './hooks.js';
import { formatRoute, parseRoute, type Route } from './routing.js';
import { OwnAccountDocument, VisibleAccountsDocument } from './__generated__/graphql.js';
import {
  landingView,
  ROLE_LABELS,
  seesManyAccounts,
  VIEW_TITLES,
  viewsFor,
  type ViewId,
} from './session/access.js';
import { clearToken, restoreSession, storeToken } from './session/storage.js';
import { decodeToken, type Session } from './session/token.js';
import { AccountsView } from './views/AccountsView.js';
import { AuditView } from './views/AuditView.js';
import { EnforcementView } from './views/EnforcementView.js';
import { FleetView } from './views/FleetView.js';
import { SignIn } from './views/SignIn.js';
import { StatisticsView } from './views/StatisticsView.js';
import { UsageView } from './views/UsageView.js';

export function App() {
  const [session, setSession] = useState<Session | undefined>(() => restoreSession(new Date()));
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const signOut = useCallback((reason?: string) => {
    clearToken();
    setSession(undefined);
    setNotice(reason);
  }, []);

  // Sign out when the token runs out, rather than failing request by request.
  useEffect(() => {
    if (!session?.expiresAt) return;
    const left = session.expiresAt.getTime() - Date.now();
    if (left > 2 ** 31 - 1) return;
    const timer = setTimeout(() => signOut('Your token has expired: sign in again.'), Math.max(0, left));
    return () => clearTimeout(timer);
  }, [session, signOut]);

  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSignIn={(token, remember) => {
          storeToken(token, remember);
          setNotice(undefined);
          setSession(decodeToken(token));
        }}
      />
    );
  }
  return <SignedIn key={session.token} session={session} signOut={signOut} />;
}

function SignedIn({ session, signOut }: { session: Session; signOut(reason?: string): void }) {
  const live = useMemo(
    () => connectLive(session.token, (reason) => signOut(`Signed out: ${reason}`)),
    [session.token, signOut],
  );
  useEffect(() => () => live.close(), [live]);
  const sessionState = useMemo<SessionState>(() => ({ session, live, signOut }), [session, live, signOut]);

  return (
    <SessionContext.Provider value={sessionState}>
      <ScopeLoader />
    </SessionContext.Provider>
  );
}

function useAccounts(session: Session) {
  const many = seesManyAccounts(session.roles);
  const all = useQuery(VisibleAccountsDocument, many ? {} : undefined);
  const own = useQuery(
    OwnAccountDocument,
    many || !session.accountId ? undefined : { id: session.accountId },
  );
  const accounts: ScopeAccount[] | undefined = many
    ? all.data?.accounts
    : own.data
      ? own.data.account
        ? [own.data.account]
        : []
      : undefined;
  return { accounts, error: many ? all.error : own.error, refetch: many ? all.refetch : own.refetch };
}

function ScopeLoader() {
  const { session, signOut } = useSession();
  const { accounts, error, refetch } = useAccounts(session);
  if (!accounts) {
    return (
      <main id="main" class="loading-page" tabIndex={-1}>
        {error ? (
          <div class="card">
            <h1>The dashboard could not load your accounts</h1>
            <p class="error" role="alert">
              {error.message}
              {error.code ? ` (${error.code})` : ''}
            </p>
            <div class="row">
              <button onClick={refetch}>Try again</button>
              <button onClick={() => signOut()}>Sign out</button>
            </div>
          </div>
        ) : (
          <p role="status">Loading your accounts…</p>
        )}
      </main>
    );
  }
  return <Shell accounts={accounts} />;
}

function useRoute(allowed: ViewId[], landing: ViewId): [Route, (next: Route) => void] {
  const fallback = allowed.includes(landing) ? landing : (allowed[0] ?? 'statistics');
  const read = () => {
    const route = parseRoute(window.location.hash, fallback);
    return allowed.includes(route.view) ? route : { view: fallback, params: {} };
  };
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const onHash = () => setRoute(read());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [allowed.join()]);
  const navigate = useCallback((next: Route) => {
    const hash = formatRoute(next);
    if (window.location.hash !== hash) window.location.hash = hash;
    setRoute(next);
  }, []);
  return [route, navigate];
}

function Shell({ accounts }: { accounts: ScopeAccount[] }) {
  const { session, signOut } = useSession();
  const views = viewsFor(session.roles);
  const [route, navigate] = useRoute(views, landingView(session.roles));
  const [storedAccount, setStoredAccount] = useStoredState('lic.dashboard.account', '');
  const [wall, setWall] = useStoredState('lic.dashboard.wall', 'false');
  const mainRef = useRef<HTMLElement>(null);

  // A link to a server of another visible account switches to that account.
  const routeServer = route.params['server'];
  const routeAccount = routeServer
    ? accounts.find((a) => (a.servers ?? []).some((s) => s.id === routeServer))?.id
    : route.params['account'];
  const accountId =
    [routeAccount, storedAccount, session.accountId].find((id) => id && accounts.some((a) => a.id === id)) ??
    accounts[0]?.id;
  const account = accounts.find((a) => a.id === accountId);

  const scope = useMemo<ScopeState>(
    () => ({
      accounts,
      account,
      selectAccount: (id) => {
        setStoredAccount(id);
        navigate({ view: route.view, params: {} });
      },
    }),
    [accounts, account, route.view],
  );

  useEffect(() => {
    document.documentElement.classList.toggle('wall', wall === 'true');
  }, [wall]);

  const lastView = useRef(route.view);
  useEffect(() => {
    if (lastView.current !== route.view) {
      lastView.current = route.view;
      mainRef.current?.focus();
    }
    document.title = `${VIEW_TITLES[route.view]} · Licensing dashboard`;
  }, [route.view]);

  const role = session.roles.map((r) => ROLE_LABELS[r]).join(', ');
  return (
    <ScopeContext.Provider value={scope}>
      <EnforcementProvider accountId={account?.id}>
        <a
          class="skip-link"
          href="#main"
          onClick={(e) => {
            e.preventDefault();
            mainRef.current?.focus();
          }}
        >
          Skip to content
        </a>
        <header class="topbar">
          <p class="brand">
            <span aria-hidden="true" class="logo">
              ▮▮
            </span>{' '}
            Licensing dashboard
          </p>
          {accounts.length > 1 ? (
            <label class="account-picker">
              <span>Account</span>
              <select value={account?.id ?? ''} onChange={(e) => scope.selectAccount(e.currentTarget.value)}>
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p class="account-name">{account?.name ?? 'No account'}</p>
          )}
          <LiveIndicator />
          <button
            type="button"
            class="ghost"
            aria-pressed={wall === 'true'}
            onClick={() => setWall(wall === 'true' ? 'false' : 'true')}
          >
            Wall display
          </button>
          <p class="who" title={session.sub}>
            {role}
          </p>
          <button type="button" class="ghost" onClick={() => signOut('You signed out.')}>
            Sign out
          </button>
        </header>
        <nav aria-label="Views" class="tabs">
          <ul>
            {views.map((view) => (
              <li key={view}>
                <a
                  href={formatRoute({ view, params: {} })}
                  aria-current={route.view === view ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate({ view, params: {} });
                  }}
                >
                  {VIEW_TITLES[view]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <EnforcementBanner onOpen={() => navigate({ view: 'enforcement', params: {} })} />
        <main id="main" ref={mainRef} tabIndex={-1}>
          {route.view === 'fleet' ? (
            <FleetView route={route} navigate={navigate} />
          ) : !account ? (
            <p class="empty">There is no account to show.</p>
          ) : route.view === 'statistics' ? (
            <StatisticsView route={route} navigate={navigate} />
          ) : route.view === 'enforcement' ? (
            <EnforcementView />
          ) : route.view === 'usage' ? (
            <UsageView route={route} navigate={navigate} />
          ) : route.view === 'audit' ? (
            <AuditView route={route} navigate={navigate} />
          ) : (
            <AccountsView />
          )}
        </main>
      </EnforcementProvider>
    </ScopeContext.Provider>
  );
}
