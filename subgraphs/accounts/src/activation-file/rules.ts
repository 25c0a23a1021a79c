import {
  DAY_MS,
  type LicenseKeyQuantity,
  type LicenseModel,
  type LicenseType,
  VIRTUAL_CLOUD_KEY,
  isSubscriptionOnlyKey,
} from '@lic/shared';
import { type CatalogPart, PartKind } from '../part/part-catalog.js';
import { type Catalog } from '../part/catalog.js';

/**
 * The activation-file rules of docs/domain.md section 1 as plain functions: validity by licence type, product
 * versions, the host-ID exception, server tiers and the content of development files.
 */

/** Production files no longer need anniversary re-registration: they run until this instant. */
export const PRODUCTION_EXPIRY = new Date('2100-01-01T00:00:00.000Z');
export const TRIAL_DAYS = 60;
/** Certified partner employees' free development files. */
export const PARTNER_DEVELOPMENT_DAYS = 30;
/** The reference names no evaluation period; this is the platform's (documented) choice. */
export const EVALUATION_DAYS = 90;
export const DEFAULT_GRACE_PERIOD_DAYS = 7;
export const SU_ALLOWED_KEY = 'I3_FEATURE_SU_ALLOWED';
export const SWITCHOVER_KEY = 'I3_FEATURE_SWITCHOVER';
/** The first release whose subscription servers may run without a host ID on virtual-cloud licensing. */
export const HOSTLESS_VIRTUAL_CLOUD_SINCE = '2020 R2';
/** The first release that supports subscription licensing. */
export const SUBSCRIPTION_SINCE = '2018 R2 Patch 2';
/** The first release that supports virtual-cloud licensing. */
export const VIRTUAL_CLOUD_SINCE = '2020 R2';

export type DevelopmentSize = 'SMALL' | 'LARGE';
export const DEVELOPMENT_QUANTITY: Record<DevelopmentSize, number> = { SMALL: 8, LARGE: 30 };

export type ServerTier = 'BASIC' | 'INTERMEDIATE' | 'ADVANCED' | 'MEDIA' | 'MULTI_SITE';
const SERVER_TIER_KEYS: Record<string, ServerTier> = {
  I3_SERVER_BASIC_PRODUCTION: 'BASIC',
  I3_SERVER_INTERMEDIATE_PRODUCTION: 'INTERMEDIATE',
  I3_SERVER_ADVANCED_PRODUCTION: 'ADVANCED',
  I3_SERVER_MEDIA: 'MEDIA',
  I3_SERVER_MULTI_SITE_ADMINISTRATION: 'MULTI_SITE',
};
const DEVELOPMENT_PART_KEYS: Record<string, DevelopmentSize> = {
  I3_LICENSE_DEVELOPMENT_SMALL: 'SMALL',
  I3_LICENSE_DEVELOPMENT_LARGE: 'LARGE',
};

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function addYears(date: Date, years: number): Date {
  const next = new Date(date.getTime());
  next.setUTCFullYear(next.getUTCFullYear() + years);
  return next;
}

export function isDevelopment(type: LicenseType): boolean {
  return type.startsWith('DEVELOPMENT_');
}

export function isNonOrderedDevelopment(type: LicenseType): boolean {
  return type.startsWith('DEVELOPMENT_NON_ORDERED_');
}

export function developmentSize(type: LicenseType): DevelopmentSize | undefined {
  if (!isDevelopment(type)) return undefined;
  return type.endsWith('_LARGE') ? 'LARGE' : 'SMALL';
}

export function serverTier(part: CatalogPart): ServerTier | undefined {
  if (part.kind !== PartKind.SERVER) return undefined;
  for (const key of part.keys) if (SERVER_TIER_KEYS[key]) return SERVER_TIER_KEYS[key];
  return undefined;
}

export function isProductionServer(part: CatalogPart): boolean {
  const tier = serverTier(part);
  return tier === 'BASIC' || tier === 'INTERMEDIATE' || tier === 'ADVANCED';
}

/** A Basic or Intermediate production server grants a small non-ordered development file, an Advanced one a large. */
export function nonOrderedDevelopmentSizeOf(part: CatalogPart): DevelopmentSize | undefined {
  const tier = serverTier(part);
  if (tier === 'BASIC' || tier === 'INTERMEDIATE') return 'SMALL';
  if (tier === 'ADVANCED') return 'LARGE';
  return undefined;
}

export function orderedDevelopmentSizeOf(part: CatalogPart): DevelopmentSize | undefined {
  if (part.kind !== PartKind.DEVELOPMENT) return undefined;
  for (const key of part.keys) if (DEVELOPMENT_PART_KEYS[key]) return DEVELOPMENT_PART_KEYS[key];
  return undefined;
}

export interface Validity {
  expiresAt: Date;
  reRegisterBy?: Date;
}

/**
 * Expiry and re-registration by licence type. Production runs to 2100-01-01 without anniversary
 * re-registration, except Multi-Site Administration, which asks for it a year after generation.
 */
export function licenseValidity(
  type: LicenseType,
  generatedAt: Date,
  options: { partnerDevelopment?: boolean; multiSiteAdministration?: boolean } = {},
): Validity {
  switch (type) {
    case 'PRODUCTION':
      return options.multiSiteAdministration
        ? { expiresAt: PRODUCTION_EXPIRY, reRegisterBy: addYears(generatedAt, 1) }
        : { expiresAt: PRODUCTION_EXPIRY };
    case 'DEVELOPMENT_NON_ORDERED_SMALL':
    case 'DEVELOPMENT_NON_ORDERED_LARGE':
      return {
        expiresAt: options.partnerDevelopment
          ? addDays(generatedAt, PARTNER_DEVELOPMENT_DAYS)
          : addYears(generatedAt, 1),
      };
    case 'DEVELOPMENT_ORDERED_SMALL':
    case 'DEVELOPMENT_ORDERED_LARGE':
      return { expiresAt: addYears(generatedAt, 1) };
    case 'TRIAL':
      return { expiresAt: addDays(generatedAt, TRIAL_DAYS) };
    case 'EVALUATION':
      return { expiresAt: addDays(generatedAt, EVALUATION_DAYS) };
  }
}

const VERSION_PATTERN = /^(?:(4\.0)|(20\d\d) R([1-4]))(?: Patch ([1-9]\d{0,2}))?$/;

/**
 * Orders product versions: CIC 4.0, then the yearly releases `YYYY Rn` (optionally `Patch n`, which
 * does not change the release). Undefined for anything else.
 */
export function releaseRank(version: string): number | undefined {
  const match = VERSION_PATTERN.exec(version);
  if (!match) return undefined;
  if (match[1]) return 2014 * 10;
  return Number(match[2]) * 10 + Number(match[3]);
}

/** Like releaseRank, but a patch counts: 2018 R2 < 2018 R2 Patch 1 < 2018 R2 Patch 2 < 2018 R3. */
export function patchRank(version: string): number | undefined {
  const rank = releaseRank(version);
  if (rank === undefined) return undefined;
  const patch = VERSION_PATTERN.exec(version)?.[4];
  return rank * 1000 + (patch === undefined ? 0 : Number(patch));
}

/** Whether `version` is `minimum` or a later release (or patch). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const rank = patchRank(version);
  const floor = patchRank(minimum);
  return rank !== undefined && floor !== undefined && rank >= floor;
}

/**
 * The release a file needs at least: subscription licensing from 2018 R2 Patch 2, virtual cloud
 * from 2020 R2. Undefined when the version is recent enough.
 */
export function minimumVersionProblem(
  model: LicenseModel,
  keys: readonly LicenseKeyQuantity[],
  productVersion: string,
): { what: string; since: string } | undefined {
  if (keys.some((k) => k.key === VIRTUAL_CLOUD_KEY) && !versionAtLeast(productVersion, VIRTUAL_CLOUD_SINCE))
    return { what: 'Virtual-cloud licensing', since: VIRTUAL_CLOUD_SINCE };
  if (model === 'SUBSCRIPTION' && !versionAtLeast(productVersion, SUBSCRIPTION_SINCE))
    return { what: 'Subscription licensing', since: SUBSCRIPTION_SINCE };
  return undefined;
}

export function isProductVersion(version: string): boolean {
  return releaseRank(version) !== undefined;
}

/** The 2020 R2 exception: a subscription file holding I3_FEATURE_VIRTUAL_CLOUD needs no host ID. */
export function hostIdOptional(
  model: LicenseModel,
  keys: readonly LicenseKeyQuantity[],
  productVersion: string,
): boolean {
  const rank = releaseRank(productVersion);
  return (
    model === 'SUBSCRIPTION' &&
    keys.some((k) => k.key === VIRTUAL_CLOUD_KEY) &&
    rank !== undefined &&
    rank >= (releaseRank(HOSTLESS_VIRTUAL_CLOUD_SINCE) ?? Infinity)
  );
}

/** Sums quantities per key; the licence file writer sorts them. */
export function sumKeys(...lists: ReadonlyArray<readonly LicenseKeyQuantity[]>): LicenseKeyQuantity[] {
  const totals = new Map<string, number>();
  for (const list of lists)
    for (const { key, quantity } of list) totals.set(key, (totals.get(key) ?? 0) + quantity);
  return [...totals].filter(([, q]) => q > 0).map(([key, quantity]) => ({ key, quantity }));
}

/**
 * A development file: every feature key (virtual cloud and usage tracking excepted: a lab is neither
 * cloud-enforced nor billed, and a perpetual file may not hold them; the update key follows
 * maintenance), and 8 or 30 of every access and session licence.
 */
export function developmentKeys(catalog: Catalog, size: DevelopmentSize): LicenseKeyQuantity[] {
  const n = DEVELOPMENT_QUANTITY[size];
  const features = catalog
    .keysOf(PartKind.FEATURE)
    .filter((k) => !isSubscriptionOnlyKey(k) && k !== SU_ALLOWED_KEY)
    .map((key) => ({ key, quantity: 1 }));
  const access = catalog.keysOf(PartKind.ACCESS, PartKind.ADDON).map((key) => ({ key, quantity: n }));
  const sessions = catalog.keysOf(PartKind.SESSION).map((key) => ({ key, quantity: n }));
  return sumKeys(features, access, sessions);
}

export interface MaintenanceTerms {
  maintenancePaid: boolean;
  maintenancePaidUntil: Date | null;
}

/** Maintenance is paid while any order says so and its paid-until instant (if any) is still ahead. */
export function maintenancePaid(orders: readonly MaintenanceTerms[], now: Date): boolean {
  return orders.some(
    (o) =>
      o.maintenancePaid &&
      (o.maintenancePaidUntil === null || o.maintenancePaidUntil.getTime() > now.getTime()),
  );
}
