import { badInput } from '@lic/shared';

export const BaseCategory = { AGENT: 'AGENT', BUSINESS_USER: 'BUSINESS_USER' } as const;
export type BaseCategory = (typeof BaseCategory)[keyof typeof BaseCategory];

export const AddOnCategory = {
  ANALYZER: 'ANALYZER',
  CX_INSIGHTS: 'CX_INSIGHTS',
  DIALER: 'DIALER',
  FEEDBACK: 'FEEDBACK',
  MULTI_CHANNEL: 'MULTI_CHANNEL',
  QUALITY_MANAGER: 'QUALITY_MANAGER',
  RECORDER: 'RECORDER',
  SALESFORCE_AGENT: 'SALESFORCE_AGENT',
  SOCIAL_MEDIA_ACD: 'SOCIAL_MEDIA_ACD',
  SUPERVISOR: 'SUPERVISOR',
  WEB_PORTAL_AGENT: 'WEB_PORTAL_AGENT',
  WEB_PORTAL_SUPERVISOR: 'WEB_PORTAL_SUPERVISOR',
} as const;
export type AddOnCategory = (typeof AddOnCategory)[keyof typeof AddOnCategory];

export type UsageCategory = BaseCategory | AddOnCategory;

/** Report order: the base category first, then add-ons as the SPEC table lists them. */
export const USAGE_CATEGORIES: readonly UsageCategory[] = [
  ...Object.values(BaseCategory),
  ...Object.values(AddOnCategory),
];

/**
 * Which licences put a session in which billing category. Genesys changes this every release
 * (SPEC §3), so it is data with a version that reports quote, never logic.
 */
export interface CategoryMapping {
  readonly version: string;
  /** Client-access keys; holding one (and nothing agent-like) makes a business user. */
  readonly clientAccess: readonly string[];
  /** Keys that make an agent by themselves, besides every add-on key. */
  readonly agent: readonly string[];
  readonly addOns: Readonly<Record<AddOnCategory, readonly string[]>>;
  /**
   * Add-ons whose keys are a family rather than a list: a key not listed above whose name
   * contains one of the fragments falls in that category (e.g. every supervisor licence).
   */
  readonly addOnKeyFragments?: Readonly<Partial<Record<AddOnCategory, readonly string[]>>>;
  /** Other spellings of a key, mapped to the spelling used above. */
  readonly aliases: Readonly<Record<string, string>>;
}

/**
 * The SPEC §3 table (PureConnect 2020 R1 technical reference).
 *
 * I3_ACCESS_ACD_MEDIA_2 is listed as an agent key although the reference only names MEDIA_1:
 * MEDIA_2 is the middle ACD level (two queued interaction types), so its holders take queued
 * ACD work exactly like MEDIA_1 holders, and billing them as business users would under-bill
 * every two-media agent. MEDIA_3_PLUS needs no entry here: it is the MULTI_CHANNEL add-on, and
 * any add-on already makes an agent.
 */
export const CATEGORY_MAPPING_2020R1: CategoryMapping = deepFreeze({
  version: '2020R1',
  clientAccess: ['I3_CLIENT_ACCESS'],
  agent: ['I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_ACD_MEDIA_2'],
  addOns: {
    ANALYZER: ['I3_ACCESS_ANALYZER'],
    CX_INSIGHTS: ['I3_ACCESS_ANALYTICS_CORE'],
    DIALER: ['I3_ACCESS_DIALER_ADDON'],
    FEEDBACK: ['I3_ACCESS_FEEDBACK'],
    MULTI_CHANNEL: ['I3_ACCESS_ACD_MEDIA_3_PLUS'],
    QUALITY_MANAGER: ['I3_ACCESS_RECORDER_QUALITYMONITORING', 'I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT'],
    RECORDER: ['I3_ACCESS_RECORDER'],
    SALESFORCE_AGENT: ['I3_LICENSE_SALESFORCE', 'I3_LICENSE_SALESFORCE_BUSINESSUSER'],
    SOCIAL_MEDIA_ACD: ['I3_ACCESS_ACD_SOCIAL_MEDIA'],
    SUPERVISOR: [
      'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN',
      'I3_ACCESS_DIALER_SUPERVISOR_PLUS',
      'I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN',
      'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN',
      'I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN',
    ],
    WEB_PORTAL_AGENT: ['I3_ACCESS_IWP_USER_AGENT'],
    WEB_PORTAL_SUPERVISOR: ['I3_ACCESS_IWP_USER_ENTERPRISE'],
  },
  // The reference spells the client key both ways (SPEC §3); they are one licence.
  aliases: { I3_ACCESS_CLIENT: 'I3_CLIENT_ACCESS' },
});

/**
 * 2020R1 as audited line by line against the reference (second revision):
 * - SUPERVISOR takes every supervisor licence, as the reference's agent row says ("ALL SUPERVISOR
 *   LICENSES"): the dialer supervisor plug-in that part SW-001-4.0-AA01 grants (missing from the
 *   reference's add-on table) and any other key whose name says SUPERVISOR;
 * - sessions are classified by the user's own licences, not the station's (see `classifySession`;
 *   the events carry them from this revision on), and a telephone-only logon is an agent's.
 */
export const CATEGORY_MAPPING_2020R1_2: CategoryMapping = deepFreeze({
  ...CATEGORY_MAPPING_2020R1,
  version: '2020R1-2',
  addOns: {
    ...CATEGORY_MAPPING_2020R1.addOns,
    // The keys enforcement stage 4 takes away today (allocation's SUPERVISOR_KEYS), written out:
    // a released mapping is frozen, so it may not follow a list that can change.
    SUPERVISOR: [
      'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN',
      'I3_ACCESS_DIALER_SUPERVISOR_PLUS',
      'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN',
      'I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN',
      'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN',
      'I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN',
    ],
  },
  addOnKeyFragments: { SUPERVISOR: ['SUPERVISOR'] },
});

export const CATEGORY_MAPPINGS: Readonly<Record<string, CategoryMapping>> = Object.freeze({
  [CATEGORY_MAPPING_2020R1.version]: CATEGORY_MAPPING_2020R1,
  [CATEGORY_MAPPING_2020R1_2.version]: CATEGORY_MAPPING_2020R1_2,
});

/** The mapping new reports use; usage derived with an older one is derived again (UsageDeriver). */
export const CURRENT_CATEGORY_MAPPING: CategoryMapping = CATEGORY_MAPPING_2020R1_2;

/** A stored report names its mapping version; re-computing it must use that same version. */
export function categoryMappingVersion(version: string): CategoryMapping {
  const mapping = CATEGORY_MAPPINGS[version];
  if (!mapping) {
    throw badInput(
      `unknown category mapping version "${version}" (known: ${Object.keys(CATEGORY_MAPPINGS).join(', ')})`,
      'categoryVersion',
    );
  }
  return mapping;
}

const CONCURRENT_SUFFIX = '_CONCURRENT';

/**
 * A licence key as the mapping spells it. A concurrent user holds `X_CONCURRENT` where an
 * assigned user holds `X`; billing does not care how the licence was allocated.
 */
export function canonicalLicenseKey(
  key: string,
  mapping: CategoryMapping = CURRENT_CATEGORY_MAPPING,
): string {
  let k = key.trim().toUpperCase();
  if (k.endsWith(CONCURRENT_SUFFIX) && k.length > CONCURRENT_SUFFIX.length) {
    k = k.slice(0, -CONCURRENT_SUFFIX.length);
  }
  return mapping.aliases[k] ?? k;
}

type Role = { kind: 'client' } | { kind: 'agent' } | { kind: 'addOn'; category: AddOnCategory };

// Classification runs once per session over months of data: index each mapping once.
const MAX_INDEXED_KEYS = 10_000;
const indexes = new WeakMap<CategoryMapping, Map<string, readonly Role[]>>();

/** The roles of a key: listed ones, else those of the fragments its name contains (then remembered). */
function rolesOf(mapping: CategoryMapping, key: string): readonly Role[] {
  const index = indexOf(mapping);
  const known = index.get(key);
  if (known) return known;
  const roles: Role[] = [];
  for (const category of Object.values(AddOnCategory)) {
    const fragments = mapping.addOnKeyFragments?.[category] ?? [];
    if (fragments.some((fragment) => key.includes(fragment))) roles.push({ kind: 'addOn', category });
  }
  // Keys come from activation files, so the set met is small; bounded all the same.
  if (index.size < MAX_INDEXED_KEYS) index.set(key, roles);
  return roles;
}

function indexOf(mapping: CategoryMapping): Map<string, readonly Role[]> {
  const cached = indexes.get(mapping);
  if (cached) return cached;
  const index = new Map<string, Role[]>();
  const put = (key: string, role: Role) => {
    const canonical = canonicalLicenseKey(key, mapping);
    index.set(canonical, [...(index.get(canonical) ?? []), role]);
  };
  mapping.clientAccess.forEach((key) => put(key, { kind: 'client' }));
  mapping.agent.forEach((key) => put(key, { kind: 'agent' }));
  for (const category of Object.values(AddOnCategory)) {
    for (const key of mapping.addOns[category] ?? []) put(key, { kind: 'addOn', category });
  }
  indexes.set(mapping, index);
  return index;
}

/**
 * The billing categories of one active session from the licences applied to the user (the
 * user's own, not the station's: a business user at a station holding ACD Media 1 stays a
 * business user): AGENT (with its add-ons) or BUSINESS_USER, or nothing at all when the user
 * held neither a client-access nor an agent licence, since such a session is not billed per
 * user. An agent needs no client access: ACD phone-only agents exist, and a telephone-only logon
 * (`telephoneOnly`: no client application, ACD access from the user or the station) is an agent's.
 */
export function classifySession(
  licenses: readonly string[],
  mapping: CategoryMapping = CURRENT_CATEGORY_MAPPING,
  options: { telephoneOnly?: boolean } = {},
): UsageCategory[] {
  let client = false;
  let agent = options.telephoneOnly === true;
  const addOns = new Set<AddOnCategory>();
  for (const key of licenses) {
    for (const role of rolesOf(mapping, canonicalLicenseKey(key, mapping))) {
      if (role.kind === 'client') client = true;
      else if (role.kind === 'agent') agent = true;
      else addOns.add(role.category);
    }
  }
  if (agent || addOns.size > 0) {
    return [BaseCategory.AGENT, ...Object.values(AddOnCategory).filter((c) => addOns.has(c))];
  }
  return client ? [BaseCategory.BUSINESS_USER] : [];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
