import {
  BASIC_STATION_KEY,
  CALL_PORT_KEY,
  CLIENT_ACCESS_KEY,
  type LicenseKeyQuantity,
  VIRTUAL_CLOUD_KEY,
} from '@lic/shared';

/**
 * What an order line's units become. ACCESS and ADDON parts are user/station licences, so their
 * pooled units become `_CONCURRENT` keys; the other kinds apply to a server and have no pool.
 */
export const PartKind = {
  ACCESS: 'ACCESS',
  ADDON: 'ADDON',
  FEATURE: 'FEATURE',
  SERVER: 'SERVER',
  SESSION: 'SESSION',
  /** An ordered development licence (small or large): the server item of an ordered development file. */
  DEVELOPMENT: 'DEVELOPMENT',
  /** A purchased evaluation: the server item of an evaluation file, whose content is its fixed `bundle`. */
  EVALUATION: 'EVALUATION',
  /** Trial and add-on bundles: orderable, but issued only by the licensing team through a request. */
  BUNDLE: 'BUNDLE',
} as const;
export type PartKind = (typeof PartKind)[keyof typeof PartKind];

export interface CatalogPart {
  readonly partNumber: string;
  readonly description: string;
  readonly kind: PartKind;
  /** Keys one assigned unit grants, in the reference's order; `_CONCURRENT` twins are derived, never listed. */
  readonly keys: readonly string[];
  /** Whether "upgrade software" moves this part to a new product version (and mirrors it, where available). */
  readonly hasUpgradeOption: boolean;
  /** EVALUATION parts only: the predefined configuration one evaluation file holds (nothing may be added). */
  readonly bundle?: readonly LicenseKeyQuantity[];
}

const part = (
  partNumber: string,
  description: string,
  kind: PartKind,
  keys: readonly string[],
  hasUpgradeOption = false,
): CatalogPart => ({ partNumber, description, kind, keys, hasUpgradeOption });

/**
 * The part catalogue, seeded into the parts table. SW-001 rows AL01-AL04, AA01, AA02 and AA17 are
 * the reference's own; every other part number and every key the reference does not spell out is
 * the platform's invention in the same style (SW-001 user licences, SW-002 features, SW-003 server
 * items, SW-004 sessions).
 */
export const PART_CATALOG: readonly CatalogPart[] = [
  // Access licences: each unit also brings a Basic Station licence (see expand.ts).
  part('SW-001-4.0-AL01', 'Basic Station', PartKind.ACCESS, [BASIC_STATION_KEY]),
  part('SW-001-4.0-AL02', 'Business Client', PartKind.ACCESS, [BASIC_STATION_KEY, CLIENT_ACCESS_KEY]),
  part('SW-001-4.0-AL03', 'Phone-only Call Center', PartKind.ACCESS, [
    BASIC_STATION_KEY,
    'I3_ACCESS_ACD_MEDIA_1',
  ]),
  part('SW-001-4.0-AL04', 'Contact Center Level 1', PartKind.ACCESS, [
    BASIC_STATION_KEY,
    CLIENT_ACCESS_KEY,
    'I3_ACCESS_ACD_MEDIA_1',
  ]),

  // Access add-ons: user licences without a station.
  part('SW-001-4.0-AA01', 'Interaction Supervisor Add-on', PartKind.ADDON, [
    'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN',
    'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN',
    'I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN',
  ]),
  part('SW-001-4.0-AA02', 'Interaction Scripter Add-on', PartKind.ADDON, [
    'I3_ACCESS_INTERACTION_SCRIPTER_ADDON',
  ]),
  part('SW-001-4.0-AA03', 'Interaction Analyzer Access', PartKind.ADDON, ['I3_ACCESS_ANALYZER']),
  part('SW-001-4.0-AA04', 'Interaction Recorder Access', PartKind.ADDON, ['I3_ACCESS_RECORDER']),
  part('SW-001-4.0-AA05', 'Interaction Dialer Add-on', PartKind.ADDON, ['I3_ACCESS_DIALER_ADDON']),
  part('SW-001-4.0-AA06', 'Interaction Feedback Access', PartKind.ADDON, ['I3_ACCESS_FEEDBACK']),
  part('SW-001-4.0-AA07', 'ACD Media Level 2 (two interaction types)', PartKind.ADDON, [
    'I3_ACCESS_ACD_MEDIA_2',
  ]),
  part('SW-001-4.0-AA08', 'Multi-channel ACD (Media Level 3+)', PartKind.ADDON, [
    'I3_ACCESS_ACD_MEDIA_3_PLUS',
  ]),
  part('SW-001-4.0-AA09', 'Interaction Quality Manager', PartKind.ADDON, [
    'I3_ACCESS_RECORDER_QUALITYMONITORING',
  ]),
  part('SW-001-4.0-AA10', 'Interaction Quality Manager Agent', PartKind.ADDON, [
    'I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT',
  ]),
  part('SW-001-4.0-AA11', 'Salesforce Standard User', PartKind.ADDON, ['I3_LICENSE_SALESFORCE']),
  part('SW-001-4.0-AA12', 'Salesforce Business User', PartKind.ADDON, ['I3_LICENSE_SALESFORCE_BUSINESSUSER']),
  part('SW-001-4.0-AA13', 'Social Media ACD', PartKind.ADDON, ['I3_ACCESS_ACD_SOCIAL_MEDIA']),
  part('SW-001-4.0-AA14', 'Interaction Web Portal Agent', PartKind.ADDON, ['I3_ACCESS_IWP_USER_AGENT']),
  part('SW-001-4.0-AA15', 'Interaction Web Portal Enterprise', PartKind.ADDON, [
    'I3_ACCESS_IWP_USER_ENTERPRISE',
  ]),
  part('SW-001-4.0-AA16', 'Interaction Supervisor Plug-in: System Status', PartKind.ADDON, [
    'I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN',
  ]),
  part('SW-001-4.0-AA17', 'Interaction Report Assistant', PartKind.ADDON, [
    'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN',
  ]),
  part('SW-001-4.0-AA18', 'Interaction Dialer Supervisor Plus', PartKind.ADDON, [
    'I3_ACCESS_DIALER_SUPERVISOR_PLUS',
  ]),
  part('SW-001-4.0-AA19', 'Interaction Supervisor Plug-in: Workgroup', PartKind.ADDON, [
    'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN',
  ]),
  part('SW-001-4.0-AA20', 'Interaction Tracker', PartKind.ADDON, ['I3_ACCESS_INTERACTION_TRACKER']),
  part('SW-001-4.0-AA21', 'Interaction Process Automation: Direct Routed Work Items', PartKind.ADDON, [
    'I3_ACCESS_IPA_DIRECT_ROUTED',
  ]),
  part('SW-001-4.0-AA22', 'Interaction Process Automation: Group Routed Work Items', PartKind.ADDON, [
    'I3_ACCESS_IPA_GROUP_ROUTED',
  ]),
  part('SW-001-4.0-AA23', 'Interaction Process Automation: Process Monitor', PartKind.ADDON, [
    'I3_ACCESS_IPA_PROCESS_MONITOR',
  ]),
  part('SW-001-4.0-AA24', 'Interaction Process Automation: Process Designer', PartKind.ADDON, [
    'I3_ACCESS_IPA_PROCESS_DESIGNER',
  ]),
  part('SW-001-4.0-AA25', 'Genesys CX Insights', PartKind.ADDON, ['I3_ACCESS_ANALYTICS_CORE']),
  part('SW-001-4.0-AA26', 'Interaction Recorder Client Access', PartKind.ADDON, [
    'I3_ACCESS_RECORDER_CLIENT',
  ]),
  part('SW-001-4.0-AA27', 'Interaction Optimizer Schedulable', PartKind.ADDON, [
    'I3_ACCESS_OPTIMIZER_SCHEDULABLE',
  ]),
  part('SW-001-4.0-AA28', 'Interaction Optimizer Client Access', PartKind.ADDON, [
    'I3_ACCESS_OPTIMIZER_CLIENT',
  ]),
  part('SW-001-4.0-AA29', 'Interaction Client Operator Add-on', PartKind.ADDON, ['I3_ACCESS_OPERATOR_ADDON']),

  // Server features.
  part('SW-002-4.0-FT01', 'SIP', PartKind.FEATURE, ['I3_FEATURE_SIP']),
  part('SW-002-4.0-FT02', 'Switchover', PartKind.FEATURE, ['I3_FEATURE_SWITCHOVER']),
  part('SW-002-4.0-FT03', 'Interaction Dialer', PartKind.FEATURE, ['I3_FEATURE_DIALER'], true),
  part('SW-002-4.0-FT04', 'Interaction Recorder Server', PartKind.FEATURE, ['I3_FEATURE_RECORDER'], true),
  part('SW-002-4.0-FT05', 'Speech Recognition', PartKind.FEATURE, ['I3_FEATURE_SPEECH_RECOGNITION'], true),
  part(
    'SW-002-4.0-FT06',
    'Workforce Management',
    PartKind.FEATURE,
    ['I3_FEATURE_WORKFORCE_MANAGEMENT'],
    true,
  ),
  part('SW-002-4.0-FT07', 'Interaction Optimizer', PartKind.FEATURE, ['I3_FEATURE_OPTIMIZER'], true),
  part('SW-002-4.0-FT08', 'Integration: SAP', PartKind.FEATURE, ['I3_FEATURE_INTEGRATION_SAP'], true),
  part('SW-002-4.0-FT09', 'Integration: Siebel', PartKind.FEATURE, ['I3_FEATURE_INTEGRATION_SIEBEL'], true),
  part(
    'SW-002-4.0-FT10',
    'Integration: Salesforce',
    PartKind.FEATURE,
    ['I3_FEATURE_INTEGRATION_SALESFORCE'],
    true,
  ),
  part('SW-002-4.0-FT11', 'Software Updates (while maintenance is paid)', PartKind.FEATURE, [
    'I3_FEATURE_SU_ALLOWED',
  ]),
  part('SW-002-4.0-FT12', 'Usage Tracking, automated upload', PartKind.FEATURE, [
    'I3_FEATURE_USAGE_TRACKING_UPLOAD',
  ]),
  part('SW-002-4.0-FT13', 'Usage Tracking, manual upload', PartKind.FEATURE, [
    'I3_FEATURE_USAGE_TRACKING_LOCAL',
  ]),
  part('SW-002-4.0-FT14', 'Virtual Cloud', PartKind.FEATURE, [VIRTUAL_CLOUD_KEY]),
  part(
    'SW-002-4.0-FT15',
    'Interaction Analyzer Real-time Server',
    PartKind.FEATURE,
    ['I3_FEATURE_ANALYZER_REALTIME'],
    true,
  ),

  // Server items: exactly one goes into each activation file.
  part('SW-003-4.0-SV01', 'Basic Production Server', PartKind.SERVER, ['I3_SERVER_BASIC_PRODUCTION'], true),
  part(
    'SW-003-4.0-SV02',
    'Intermediate Production Server',
    PartKind.SERVER,
    ['I3_SERVER_INTERMEDIATE_PRODUCTION'],
    true,
  ),
  part(
    'SW-003-4.0-SV03',
    'Advanced Production Server',
    PartKind.SERVER,
    ['I3_SERVER_ADVANCED_PRODUCTION'],
    true,
  ),
  part('SW-003-4.0-SV04', 'Media Server', PartKind.SERVER, ['I3_SERVER_MEDIA'], true),
  part(
    'SW-003-4.0-SV05',
    'Multi-Site Administration',
    PartKind.SERVER,
    ['I3_SERVER_MULTI_SITE_ADMINISTRATION'],
    true,
  ),

  // Sessions and engines.
  part('SW-004-4.0-SN01', 'Call Port', PartKind.SESSION, [CALL_PORT_KEY]),
  part('SW-004-4.0-SN02', 'Speech Recognition Port', PartKind.SESSION, [
    'I3_SESSION_SPEECH_RECOGNITION_PORT',
  ]),

  // Ordered development licences (the non-ordered ones come free with a production server item).
  part('SW-005-4.0-DV01', 'Ordered Development License, Small', PartKind.DEVELOPMENT, [
    'I3_LICENSE_DEVELOPMENT_SMALL',
  ]),
  part('SW-005-4.0-DV02', 'Ordered Development License, Large', PartKind.DEVELOPMENT, [
    'I3_LICENSE_DEVELOPMENT_LARGE',
  ]),

  // Evaluations: a small predefined configuration that is purchased; no components may be added.
  {
    ...part('SW-006-4.0-EV01', 'Evaluation: Contact Center (5 agents)', PartKind.EVALUATION, [
      'I3_LICENSE_EVALUATION',
    ]),
    bundle: [
      { key: BASIC_STATION_KEY, quantity: 5 },
      { key: CLIENT_ACCESS_KEY, quantity: 5 },
      { key: 'I3_ACCESS_ACD_MEDIA_1', quantity: 5 },
      { key: 'I3_FEATURE_SIP', quantity: 1 },
      { key: CALL_PORT_KEY, quantity: 8 },
    ],
  },

  // Bundles: the Activation File Management Tool cannot generate these; a request to the licensing team can.
  part('SW-007-4.0-BN01', 'Trial Bundle: Contact Center', PartKind.BUNDLE, [
    BASIC_STATION_KEY,
    CLIENT_ACCESS_KEY,
    'I3_ACCESS_ACD_MEDIA_1',
  ]),
  part('SW-007-4.0-BN02', 'Add-on Bundle: Supervisor and Recorder', PartKind.BUNDLE, [
    'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN',
    'I3_ACCESS_RECORDER',
  ]),
];

export function findPart(
  partNumber: string,
  catalog: readonly CatalogPart[] = PART_CATALOG,
): CatalogPart | undefined {
  return catalog.find((p) => p.partNumber === partNumber);
}
