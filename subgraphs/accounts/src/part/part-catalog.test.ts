import { CONCURRENT_SUFFIX, LICENSE_KEY_PATTERN } from '@lic/shared';
import { PART_CATALOG, PartKind, findPart } from './part-catalog.js';

const grantedBy = (kind: PartKind): Set<string> =>
  new Set(PART_CATALOG.filter((p) => p.kind === kind).flatMap((p) => p.keys));

describe('part catalogue', () => {
  it('has unique part numbers in the reference style', () => {
    const numbers = PART_CATALOG.map((p) => p.partNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const partNumber of numbers) expect(partNumber).toMatch(/^SW-0\d\d-4\.0-[A-Z]{2}\d{2}$/);
  });

  it('lists well-formed keys, never a derived _CONCURRENT twin', () => {
    for (const part of PART_CATALOG) {
      expect(part.keys.length).toBeGreaterThan(0);
      expect(part.description).not.toBe('');
      for (const key of part.keys) {
        expect(key).toMatch(LICENSE_KEY_PATTERN);
        expect(key.endsWith(CONCURRENT_SUFFIX)).toBe(false);
      }
    }
  });

  it('holds the reference rows', () => {
    expect(findPart('SW-001-4.0-AL04')).toMatchObject({
      description: 'Contact Center Level 1',
      kind: 'ACCESS',
    });
    expect(findPart('SW-001-4.0-AA17')).toMatchObject({
      description: 'Interaction Report Assistant',
      kind: 'ADDON',
    });
    expect(findPart('SW-999-4.0-XX01')).toBeUndefined();
  });

  it('has a part for every feature key docs/domain.md names', () => {
    const features = grantedBy(PartKind.FEATURE);
    for (const key of [
      'I3_FEATURE_SIP',
      'I3_FEATURE_SWITCHOVER',
      'I3_FEATURE_DIALER',
      'I3_FEATURE_RECORDER',
      'I3_FEATURE_SPEECH_RECOGNITION',
      'I3_FEATURE_WORKFORCE_MANAGEMENT',
      'I3_FEATURE_OPTIMIZER',
      'I3_FEATURE_INTEGRATION_SAP',
      'I3_FEATURE_SU_ALLOWED',
      'I3_FEATURE_USAGE_TRACKING_UPLOAD',
      'I3_FEATURE_USAGE_TRACKING_LOCAL',
      'I3_FEATURE_VIRTUAL_CLOUD',
      'I3_FEATURE_ANALYZER_REALTIME',
    ]) {
      expect(features).toContain(key);
    }
  });

  it('has an add-on part for every licence of the billing categories', () => {
    const addons = grantedBy(PartKind.ADDON);
    for (const key of [
      'I3_ACCESS_ANALYZER',
      'I3_ACCESS_ANALYTICS_CORE',
      'I3_ACCESS_DIALER_ADDON',
      'I3_ACCESS_FEEDBACK',
      'I3_ACCESS_ACD_MEDIA_3_PLUS',
      'I3_ACCESS_ACD_MEDIA_2',
      'I3_ACCESS_RECORDER_QUALITYMONITORING',
      'I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT',
      'I3_ACCESS_RECORDER',
      'I3_LICENSE_SALESFORCE',
      'I3_LICENSE_SALESFORCE_BUSINESSUSER',
      'I3_ACCESS_ACD_SOCIAL_MEDIA',
      'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN',
      'I3_ACCESS_DIALER_SUPERVISOR_PLUS',
      'I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN',
      'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN',
      'I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN',
      'I3_ACCESS_IWP_USER_AGENT',
      'I3_ACCESS_IWP_USER_ENTERPRISE',
      'I3_ACCESS_INTERACTION_TRACKER',
      'I3_ACCESS_IPA_DIRECT_ROUTED',
      'I3_ACCESS_IPA_GROUP_ROUTED',
      'I3_ACCESS_IPA_PROCESS_MONITOR',
      'I3_ACCESS_IPA_PROCESS_DESIGNER',
    ]) {
      expect(addons).toContain(key);
    }
  });

  it('has the server items and call ports', () => {
    expect(PART_CATALOG.filter((p) => p.kind === PartKind.SERVER).map((p) => p.description)).toEqual([
      'Basic Production Server',
      'Intermediate Production Server',
      'Advanced Production Server',
      'Media Server',
      'Multi-Site Administration',
    ]);
    expect(grantedBy(PartKind.SESSION)).toContain('I3_SESSION_CALL_PORT');
  });

  it('is plain data that survives a trip through JSON (it is seeded into a table)', () => {
    expect(JSON.parse(JSON.stringify(PART_CATALOG))).toEqual(PART_CATALOG);
  });
});
