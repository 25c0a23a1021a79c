import { type Role, type Session } from './token.js';

/** The dashboard's views, in the order of the tabs. */
export const VIEWS = ['fleet', 'statistics', 'enforcement', 'usage', 'accounts', 'audit'] as const;
export type ViewId = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewId, string> = {
  fleet: 'Fleet',
  statistics: 'Licence statistics',
  enforcement: 'Enforcement',
  usage: 'Usage',
  accounts: 'Account',
  audit: 'Audit log',
};

/**
 * Who uses which view. The API enforces access; this only hides what a role cannot use:
 * supervisors watch live statistics and enforcement of their servers, administrators also see the
 * fleet overview, usage and orders, and a server's machine credential is not a person's sign-in.
 */
const VIEWS_BY_ROLE: Record<Role, readonly ViewId[]> = {
  LICENSING_ADMIN: VIEWS,
  PARTNER: VIEWS,
  CUSTOMER_ADMIN: VIEWS,
  SUPERVISOR: ['statistics', 'enforcement'],
  SERVER: [],
};

export function viewsFor(roles: readonly Role[]): ViewId[] {
  return VIEWS.filter((view) => roles.some((role) => VIEWS_BY_ROLE[role].includes(view)));
}

/**
 * Where a sign-in lands: the fleet overview for those who look across accounts (licensing
 * administrators, partners), else the live statistics of their own servers.
 */
export function landingView(roles: readonly Role[]): ViewId {
  const views = viewsFor(roles);
  if (seesManyAccounts(roles) && views.includes('fleet')) return 'fleet';
  return views.includes('statistics') ? 'statistics' : (views[0] ?? 'statistics');
}

/** Administrators and partners look across accounts; everyone else at their own account. */
export function seesManyAccounts(roles: readonly Role[]): boolean {
  return roles.includes('LICENSING_ADMIN') || roles.includes('PARTNER');
}

export const ROLE_LABELS: Record<Role, string> = {
  LICENSING_ADMIN: 'Licensing administrator',
  PARTNER: 'Partner',
  CUSTOMER_ADMIN: 'Customer administrator',
  SUPERVISOR: 'Supervisor',
  SERVER: 'Server (machine credential)',
};

/** Why a valid token still cannot use the dashboard, or undefined when it can. */
export function signInProblem(session: Session): string | undefined {
  if (viewsFor(session.roles).length === 0) {
    return 'This is a server credential (role SERVER): sign in with a person’s token.';
  }
  if (!seesManyAccounts(session.roles) && !session.accountId) {
    return 'The token names no account (claim accountId): ask for a token of your account.';
  }
  return undefined;
}
