import {
  type Principal,
  type Role,
  canAccessAccount,
  forbidden,
  hasRole,
  requirePrincipal,
  requireRole,
} from '@lic/shared';

/** Looks up the accounts a partner sold to (the end users of the sales orders it was invoiced for). */
export type SoldToLookup = (partnerAccountId: string) => Promise<string[]>;

/**
 * Tenant scoping for one request, the single mechanism every resolver and service of this subgraph
 * uses: LICENSING_ADMIN sees every account; PARTNER its own and those it sold to (derived from sales
 * orders, looked up at most once per request); everyone else only the account in their token.
 */
export class TenantScope {
  private soldTo: Promise<readonly string[]> | undefined;

  constructor(
    readonly principal: Principal | undefined,
    private readonly lookupSoldTo: SoldToLookup,
  ) {}

  get caller(): Principal {
    return requirePrincipal(this.principal);
  }

  requireRole(...roles: Role[]): Principal {
    return requireRole(this.principal, ...roles);
  }

  get isAdmin(): boolean {
    return this.principal !== undefined && hasRole(this.principal, 'LICENSING_ADMIN');
  }

  /** A partner acting as such (not also the licensing team). */
  get isPartner(): boolean {
    return this.principal !== undefined && !this.isAdmin && hasRole(this.principal, 'PARTNER');
  }

  /** The accounts a partner sold to; empty for anyone else. */
  partnerAccounts(): Promise<readonly string[]> {
    const p = this.caller;
    if (!hasRole(p, 'PARTNER') || !p.accountId) return Promise.resolve([]);
    this.soldTo ??= this.lookupSoldTo(p.accountId);
    return this.soldTo;
  }

  /** Every account the caller may see, or 'all' for the licensing team. */
  async visibleAccountIds(): Promise<'all' | string[]> {
    const p = this.caller;
    if (hasRole(p, 'LICENSING_ADMIN')) return 'all';
    const ids = new Set<string>(await this.partnerAccounts());
    if (p.accountId) ids.add(p.accountId);
    return [...ids];
  }

  async canAccess(accountId: string): Promise<boolean> {
    const p = this.caller;
    if (canAccessAccount(p, accountId)) return true;
    return canAccessAccount(p, accountId, await this.partnerAccounts());
  }

  async assertAccess(accountId: string): Promise<Principal> {
    if (!(await this.canAccess(accountId))) throw forbidden('This account belongs to another tenant');
    return this.caller;
  }
}
