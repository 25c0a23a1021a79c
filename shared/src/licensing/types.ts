/** The vocabulary of an activation ("licence") file; FORMAT.md describes how it is written. */

export const LICENSE_MODELS = ['PERPETUAL', 'SUBSCRIPTION'] as const;
export type LicenseModel = (typeof LICENSE_MODELS)[number];

export const LICENSE_TYPES = [
  'PRODUCTION',
  'DEVELOPMENT_NON_ORDERED_SMALL',
  'DEVELOPMENT_NON_ORDERED_LARGE',
  'DEVELOPMENT_ORDERED_SMALL',
  'DEVELOPMENT_ORDERED_LARGE',
  'TRIAL',
  'EVALUATION',
] as const;
export type LicenseType = (typeof LICENSE_TYPES)[number];

export interface LicenseMachine {
  /** Empty only in a virtual-cloud subscription file, which is tied to its cloud connection instead. */
  hostId: string;
  machineName: string;
  systemType: string;
  mailConnector?: string;
  serverItem: string;
}

/** The reference asks only host ID, name and server item for the second server of a pair. */
export interface SwitchoverMachine {
  hostId: string;
  machineName: string;
  systemType?: string;
  serverItem: string;
}

/** Present exactly when the file holds I3_FEATURE_VIRTUAL_CLOUD: enforcement reads these from the licence. */
export interface VirtualCloudTerms {
  rampDate: Date;
  gracePeriodDays: number;
}

export interface LicenseKeyQuantity {
  key: string;
  quantity: number;
}

export interface LicenseFileContent {
  fileId: string;
  /**
   * 1 when the file is generated, one more on every update: only a file's current revision loads.
   * Absent in files signed before revisions existed, which read as revision 1 (`revisionOf`).
   */
  revision?: number;
  accountId: string;
  installSiteId: string;
  licenseModel: LicenseModel;
  licenseType: LicenseType;
  product: string;
  productVersion: string;
  generatedAt: Date;
  expiresAt: Date;
  reRegisterBy?: Date;
  machine: LicenseMachine;
  switchover?: SwitchoverMachine;
  virtualCloud?: VirtualCloudTerms;
  /** Written sorted by key whatever the order given; each key at most once, quantities >= 1. */
  keys: readonly LicenseKeyQuantity[];
}

export interface SigningKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A file's revision: files signed before revisions existed carry none and count as revision 1. */
export function revisionOf(content: Pick<LicenseFileContent, 'revision'>): number {
  return content.revision ?? 1;
}
