/**
 * One-click development sign-in, offered by the gateway only when the operator opts in, outside
 * production and on loopback (gateway/src/dashboard.ts): it lists the demo accounts and signs a
 * token for one of the roles the operator allows.
 */
export interface DevAccount {
  id: string;
  name: string;
  kind: string;
}

export interface DevSignInOptions {
  roles: Array<{ role: string; label: string; needsAccount: boolean; accountKinds: string[] }>;
  accounts: DevAccount[];
}

export const DEV_SIGN_IN_PATH = '/dashboard/dev-sign-in';
export const DEV_TOKEN_PATH = '/dashboard/dev-token';

/** The options, or undefined when the gateway does not offer development sign-in. */
export async function fetchDevSignIn(): Promise<DevSignInOptions | undefined> {
  try {
    const res = await fetch(DEV_SIGN_IN_PATH, { headers: { accept: 'application/json' } });
    if (!res.ok) return undefined;
    return (await res.json()) as DevSignInOptions;
  } catch {
    return undefined;
  }
}

export async function fetchDevToken(role: string, accountId: string | undefined): Promise<string> {
  const res = await fetch(DEV_TOKEN_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ role, ...(accountId ? { accountId } : {}) }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: string };
  if (!res.ok || !body.token)
    throw new Error(body.error ?? `Development sign-in failed (HTTP ${res.status})`);
  return body.token;
}
