import { useEffect, useId, useState } from 'preact/hooks';
import { type DevSignInOptions, fetchDevSignIn, fetchDevToken } from '../api/dev-sign-in.js';
import { signInProblem } from '../session/access.js';
import { decodeToken, isExpired, TokenFormatError } from '../session/token.js';

interface Props {
  notice: string | undefined;
  onSignIn(token: string, remember: boolean): void;
}

/** Paste a token, or (development only) sign in as a demo role with one click. */
export function SignIn({ notice, onSignIn }: Props) {
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [dev, setDev] = useState<DevSignInOptions | undefined>(undefined);
  const ids = { token: useId(), tokenHelp: useId(), error: useId() };

  useEffect(() => {
    let cancelled = false;
    void fetchDevSignIn().then((options) => {
      if (!cancelled) setDev(options);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const accept = (raw: string, keep: boolean) => {
    try {
      const session = decodeToken(raw);
      if (isExpired(session, new Date())) throw new TokenFormatError('This token has expired.');
      const problem = signInProblem(session);
      if (problem) throw new TokenFormatError(problem);
      setError(undefined);
      onSignIn(session.token, keep);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <h1>Licensing dashboard</h1>
      <p class="lead">Live licence statistics, enforcement, usage and orders for your PureConnect servers.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <section aria-labelledby="token-heading" class="card">
        <h2 id="token-heading">Sign in with a token</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            accept(token, remember);
          }}
        >
          <label for={ids.token}>Access token (JWT)</label>
          <textarea
            id={ids.token}
            name="token"
            rows={4}
            spellcheck={false}
            autocomplete="off"
            required
            aria-describedby={`${ids.tokenHelp}${error ? ` ${ids.error}` : ''}`}
            aria-invalid={error ? true : undefined}
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
          <p id={ids.tokenHelp} class="help">
            The bearer token your administrator gave you (<code>npm start</code> prints a development one).
          </p>
          <label class="check">
            <input
              type="checkbox"
              checked={remember}
              onChange={(e) => setRemember(e.currentTarget.checked)}
            />
            Keep me signed in on this device
          </label>
          {error && (
            <p id={ids.error} class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="primary">
            Sign in
          </button>
        </form>
      </section>
      {dev && <DevSignIn options={dev} onToken={(t) => accept(t, remember)} onError={setError} />}
    </main>
  );
}

function DevSignIn({
  options,
  onToken,
  onError,
}: {
  options: DevSignInOptions;
  onToken(token: string): void;
  onError(message: string): void;
}) {
  const [role, setRole] = useState(options.roles.find((r) => r.role === 'SUPERVISOR')?.role ?? '');
  const chosen = options.roles.find((r) => r.role === role);
  const needsAccount = chosen?.needsAccount ?? false;
  const accounts = options.accounts.filter((a) => chosen?.accountKinds.includes(a.kind));
  const [picked, setAccountId] = useState('');
  const accountId = accounts.some((a) => a.id === picked) ? picked : (accounts[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const ids = { role: useId(), account: useId() };

  return (
    <section aria-labelledby="dev-heading" class="card dev">
      <h2 id="dev-heading">Development sign-in</h2>
      <p class="help">
        Offered because this gateway is not running in production: it signs a token for a demo role.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          fetchDevToken(role, needsAccount ? accountId : undefined)
            .then(onToken, (e: unknown) => onError(e instanceof Error ? e.message : String(e)))
            .finally(() => setBusy(false));
        }}
      >
        <div class="row">
          <div class="field">
            <label for={ids.role}>Role</label>
            <select id={ids.role} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {options.roles.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          {needsAccount && (
            <div class="field">
              <label for={ids.account}>Account</label>
              <select
                id={ids.account}
                value={accountId}
                onChange={(e) => setAccountId(e.currentTarget.value)}
              >
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        {needsAccount && accounts.length === 0 && (
          <p class="error" role="alert">
            There is no {chosen?.accountKinds.join(' or ').toLowerCase()} account yet: seed the demo data
            first.
          </p>
        )}
        <button type="submit" disabled={busy || (needsAccount && !accountId)}>
          {busy ? 'Signing in…' : 'Sign in as demo user'}
        </button>
      </form>
    </section>
  );
}
