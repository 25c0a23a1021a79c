import {
  baseKey,
  canonicalKey,
  capabilitiesOf,
  concurrentTwin,
  distinctLicenses,
  hasConcurrentTwin,
  ipaLevel,
  isClientAccessKey,
  isConcurrentKey,
  isFeatureKey,
  isStationOnlyKey,
  isSupervisorKey,
  isUserOnlyKey,
  isWellFormedKey,
  licenseOf,
  sameLicense,
} from './keys.js';

describe('concurrent keys', () => {
  it.each([
    ['I3_ACCESS_CLIENT', false, 'I3_ACCESS_CLIENT', 'I3_ACCESS_CLIENT_CONCURRENT'],
    ['I3_ACCESS_CLIENT_CONCURRENT', true, 'I3_ACCESS_CLIENT', 'I3_ACCESS_CLIENT_CONCURRENT'],
    ['I3_ACCESS_ACD_MEDIA_1_CONCURRENT', true, 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_ACD_MEDIA_1_CONCURRENT'],
    [
      'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN',
      false,
      'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN',
      'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN_CONCURRENT',
    ],
    ['_CONCURRENT', false, '_CONCURRENT', '_CONCURRENT_CONCURRENT'],
  ])('%s', (key, concurrent, base, twin) => {
    expect(isConcurrentKey(key)).toBe(concurrent);
    expect(baseKey(key)).toBe(base);
    expect(concurrentTwin(key)).toBe(twin);
  });
});

describe('client access spellings', () => {
  it.each([
    ['I3_ACCESS_CLIENT', 'I3_ACCESS_CLIENT'],
    ['I3_CLIENT_ACCESS', 'I3_ACCESS_CLIENT'],
    ['I3_CLIENT_ACCESS_CONCURRENT', 'I3_ACCESS_CLIENT_CONCURRENT'],
    ['I3_ACCESS_CLIENT_CONCURRENT', 'I3_ACCESS_CLIENT_CONCURRENT'],
    ['I3_ACCESS_RECORDER', 'I3_ACCESS_RECORDER'],
  ])('canonicalKey(%s) = %s', (key, canonical) => {
    expect(canonicalKey(key)).toBe(canonical);
  });

  it('both spellings and both pools are one licence', () => {
    for (const key of ['I3_ACCESS_CLIENT', 'I3_CLIENT_ACCESS', 'I3_CLIENT_ACCESS_CONCURRENT']) {
      expect(isClientAccessKey(key)).toBe(true);
      expect(licenseOf(key)).toBe('I3_ACCESS_CLIENT');
      expect(sameLicense(key, 'I3_ACCESS_CLIENT_CONCURRENT')).toBe(true);
    }
    expect(isClientAccessKey('I3_ACCESS_CLIENT_OUTLOOK')).toBe(false);
  });

  it('distinctLicenses collapses spellings and pools, first seen first', () => {
    expect(
      distinctLicenses([
        'I3_CLIENT_ACCESS',
        'I3_ACCESS_RECORDER',
        'I3_ACCESS_CLIENT_CONCURRENT',
        'I3_ACCESS_RECORDER',
      ]),
    ).toEqual(['I3_ACCESS_CLIENT', 'I3_ACCESS_RECORDER']);
  });
});

describe('key classes', () => {
  it.each([
    // key, well-formed, feature, station-only, user-only, supervisor, has twin
    ['I3_LICENSE_BASIC_STATION', true, false, true, false, false, false],
    ['I3_LICENSE_BASIC_STATION_CONCURRENT', true, false, true, false, false, false],
    ['I3_FEATURE_VIRTUAL_CLOUD', true, true, false, false, false, false],
    ['I3_ACCESS_IPA_PROCESS_MONITOR', true, false, false, true, false, true],
    ['I3_ACCESS_IPA_PROCESS_DESIGNER_CONCURRENT', true, false, false, true, false, true],
    ['I3_ACCESS_IPA_GROUP_ROUTED', true, false, false, false, false, true],
    ['I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN', true, false, false, false, true, true],
    ['I3_ACCESS_DIALER_SUPERVISOR_PLUS', true, false, false, false, true, true],
    ['I3_ACCESS_DIALER_SUPERVISOR_PLUGIN', true, false, false, false, true, true],
    ['I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN_CONCURRENT', true, false, false, false, true, true],
    ['I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN', true, false, false, false, true, true],
    ['I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN', true, false, false, false, true, true],
    // Interaction Supervisor iPad Edition: stage 4 disables Interaction Supervisor as a whole.
    ['I3_ACCESS_IPAD_USER_SUPERVISOR', true, false, false, false, true, true],
    ['I3_ACCESS_IPAD_USER_SUPERVISOR_CONCURRENT', true, false, false, false, true, true],
    ['I3_ACCESS_SUPERVISORY_NOTES', true, false, false, false, false, true],
    ['I3_OPTIMIZER_SHOWRTA', true, false, false, false, false, true],
    ['i3_access_client', false, false, false, false, false, true],
    ['I3_ACCESS__CLIENT', false, false, false, false, false, true],
    ['13_ACCESS_RECORDER', false, false, false, false, false, true],
    ['', false, false, false, false, false, true],
  ])('%s', (key, wellFormed, feature, stationOnly, userOnly, supervisor, twin) => {
    expect(isWellFormedKey(key)).toBe(wellFormed);
    expect(isFeatureKey(key)).toBe(feature);
    expect(isStationOnlyKey(key)).toBe(stationOnly);
    expect(isUserOnlyKey(key)).toBe(userOnly);
    expect(isSupervisorKey(key)).toBe(supervisor);
    expect(hasConcurrentTwin(key)).toBe(twin);
  });
});

describe('Interaction Process Automation levels', () => {
  it.each([
    [[], null],
    [['I3_ACCESS_CLIENT'], null],
    [['I3_ACCESS_IPA_DIRECT_ROUTED'], 'I3_ACCESS_IPA_DIRECT_ROUTED'],
    [['I3_ACCESS_IPA_PROCESS_MONITOR', 'I3_ACCESS_IPA_GROUP_ROUTED'], 'I3_ACCESS_IPA_PROCESS_MONITOR'],
    [['I3_ACCESS_IPA_GROUP_ROUTED_CONCURRENT'], 'I3_ACCESS_IPA_GROUP_ROUTED'],
    [['I3_ACCESS_IPA_DIRECT_ROUTED', 'I3_ACCESS_IPA_PROCESS_DESIGNER'], 'I3_ACCESS_IPA_PROCESS_DESIGNER'],
  ])('ipaLevel(%j) = %s', (keys, level) => {
    expect(ipaLevel(keys)).toBe(level);
  });

  it.each([
    ['I3_ACCESS_IPA_DIRECT_ROUTED', ['I3_ACCESS_IPA_DIRECT_ROUTED']],
    ['I3_ACCESS_IPA_GROUP_ROUTED', ['I3_ACCESS_IPA_DIRECT_ROUTED', 'I3_ACCESS_IPA_GROUP_ROUTED']],
    [
      'I3_ACCESS_IPA_PROCESS_MONITOR',
      ['I3_ACCESS_IPA_DIRECT_ROUTED', 'I3_ACCESS_IPA_GROUP_ROUTED', 'I3_ACCESS_IPA_PROCESS_MONITOR'],
    ],
    [
      'I3_ACCESS_IPA_PROCESS_DESIGNER',
      [
        'I3_ACCESS_IPA_DIRECT_ROUTED',
        'I3_ACCESS_IPA_GROUP_ROUTED',
        'I3_ACCESS_IPA_PROCESS_MONITOR',
        'I3_ACCESS_IPA_PROCESS_DESIGNER',
      ],
    ],
  ])('%s includes the levels below it', (key, included) => {
    expect([...capabilitiesOf([key, 'I3_CLIENT_ACCESS'])].sort()).toEqual(
      [...included, 'I3_ACCESS_CLIENT'].sort(),
    );
  });
});
