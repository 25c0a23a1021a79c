import { type Principal, type Role, hasRole, requirePrincipal, requireRole } from '../auth/auth.js';
import {
  type ServerAccess,
  type ServerTenancy,
  type SoldTo,
  assertServerAccess,
  canConfigureAccount,
  canSeeAccount,
  canSeeServer,
  isLicensingAdmin,
  isPartner,
  visibleAccountIds,
} from '../auth/policy.js';
import { forbidden } from '../errors/errors.js';

/**
 * Looks up the accounts a partner sold to (the end users of the sales orders it was invoiced
 * for): the accounts subgraph from its orders, the others from their `partner_customer` copy.
 */
export type SoldToLookup = (partnerAccountId: string) => Promise<readonly string[]>;

/**
 * The shared tenant-access policy for one request, with what the policy needs to know about a
 * partner (`soldTo`) looked up at most once per request and only when a partner's access to an
 * account other than its own is decided: nobody else pays for it.
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

  /** The accounts a partner sold to; empty for anyone else (and without a caller). */
  partnerAccounts(): Promise<SoldTo> {
    const p = this.principal;
    if (!p || !hasRole(p, 'PARTNER') || !p.accountId || isLicensingAdmin(p)) return Promise.resolve([]);
    this.soldTo ??= this.lookupSoldTo(p.accountId);
    return this.soldTo;
  }

  /** `soldTo` for a decision about one account: looked up only when it can change the answer. */
  async soldToFor(accountId: string): Promise<SoldTo> {
    const p = this.principal;
    if (!p || !isPartner(p) || p.accountId === accountId) return [];
    return this.partnerAccounts();
  }

  /** Every account the caller may see, or 'all' for the licensing team. */
  async visibleAccountIds(): Promise<'all' | string[]> {
    const p = this.caller;
    if (isLicensingAdmin(p)) return 'all';
    return visibleAccountIds(p, await this.partnerAccounts());
  }

  async canAccess(accountId: string): Promise<boolean> {
    const p = this.caller;
    return canSeeAccount(p, accountId, await this.soldToFor(accountId));
  }

  async assertAccess(accountId: string): Promise<Principal> {
    if (!(await this.canAccess(accountId))) throw forbidden('This account belongs to another tenant');
    return this.caller;
  }

  async canConfigure(accountId: string): Promise<boolean> {
    return canConfigureAccount(this.caller, accountId, await this.soldToFor(accountId));
  }

  async canSeeServer(server: ServerTenancy): Promise<boolean> {
    const p = this.principal;
    if (!p) return false;
    return canSeeServer(p, server, await this.soldToFor(server.accountId));
  }

  /** UNAUTHENTICATED without a caller, FORBIDDEN (with the reason) when the policy says no. */
  async assertServerAccess(server: ServerTenancy, access: ServerAccess): Promise<Principal> {
    return assertServerAccess(this.principal, server, access, await this.soldToFor(server.accountId));
  }
}
