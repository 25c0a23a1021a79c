import {
  type Principal,
  type Role,
  canSeeAccount,
  forbidden,
  hasRole,
  isLicensingAdmin,
  isPartner,
  requirePrincipal,
  requireRole,
  visibleAccountIds,
} from '@lic/shared';

/** Looks up the accounts a partner sold to (the end users of the sales orders it was invoiced for). */
export type SoldToLookup = (partnerAccountId: string) => Promise<string[]>;

/**
 * The shared tenant-access policy for one request of this subgraph, which alone knows whom a
 * partner sold to: it looks that up at most once per request and hands it to the policy.
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
    return isLicensingAdmin(this.principal);
  }

  /** A partner acting as such (not also the licensing team). */
  get isPartner(): boolean {
    return isPartner(this.principal);
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
    if (isLicensingAdmin(p)) return 'all';
    return visibleAccountIds(p, await this.partnerAccounts());
  }

  async canAccess(accountId: string): Promise<boolean> {
    const p = this.caller;
    if (canSeeAccount(p, accountId)) return true;
    return canSeeAccount(p, accountId, await this.partnerAccounts());
  }

  async assertAccess(accountId: string): Promise<Principal> {
    if (!(await this.canAccess(accountId))) throw forbidden('This account belongs to another tenant');
    return this.caller;
  }
}
