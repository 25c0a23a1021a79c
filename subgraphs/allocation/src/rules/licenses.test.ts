import {
  AUDIO_INACTIVE_WARNING,
  checkServerPrerequisites,
  validateStationLicenses,
  validateUserLicenses,
  violationDetails,
  type AllocationMethod,
  type LicenseValidation,
  type StationKind,
} from './licenses.js';

/*
 * Table rows may omit the trailing field; the callbacks take a rest parameter because jest
 * passes `done` to a callback that declares more parameters than a row has, and then waits.
 */

/** The code a validation failed with, or 'OK'; what the tables compare. */
const outcome = (result: LicenseValidation): string => (result.ok ? 'OK' : result.code);

describe('validateUserLicenses: guards in order', () => {
  it.each<[string, AllocationMethod, string[], string, string?]>([
    ['no licences', 'ASSIGNED', [], 'OK'],
    ['client access', 'ASSIGNED', ['I3_ACCESS_CLIENT'], 'OK'],
    ['client access, reference spelling', 'CONCURRENT', ['I3_CLIENT_ACCESS'], 'OK'],
    [
      'unknown method',
      'SHARED' as AllocationMethod,
      ['I3_ACCESS_CLIENT'],
      'BAD_USER_INPUT',
      'allocationMethod',
    ],
    ['malformed key', 'ASSIGNED', ['I3_ACCESS_CLIENT', 'client'], 'BAD_USER_INPUT', 'licenses'],
    ['OCR-garbled key', 'ASSIGNED', ['13_ACCESS_RECORDER'], 'BAD_USER_INPUT', 'licenses'],
    ['server feature', 'ASSIGNED', ['I3_FEATURE_RECORDER'], 'BAD_USER_INPUT', 'licenses'],
    ['Basic Station', 'ASSIGNED', ['I3_ACCESS_CLIENT', 'I3_LICENSE_BASIC_STATION'], 'STATION_ONLY_LICENSE'],
    ['Basic Station, concurrent user', 'CONCURRENT', ['I3_LICENSE_BASIC_STATION'], 'STATION_ONLY_LICENSE'],
    ['Basic Station twin', 'CONCURRENT', ['I3_LICENSE_BASIC_STATION_CONCURRENT'], 'STATION_ONLY_LICENSE'],
    [
      'assigned user, concurrent key',
      'ASSIGNED',
      ['I3_ACCESS_CLIENT_CONCURRENT'],
      'ALLOCATION_METHOD_CONFLICT',
    ],
    [
      'assigned user, one concurrent key among plain ones',
      'ASSIGNED',
      ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1_CONCURRENT'],
      'ALLOCATION_METHOD_CONFLICT',
    ],
    ['concurrent user, base keys', 'CONCURRENT', ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1'], 'OK'],
    ['concurrent user, twin keys', 'CONCURRENT', ['I3_ACCESS_CLIENT_CONCURRENT'], 'OK'],
    ['Analyzer without Recorder', 'ASSIGNED', ['I3_ACCESS_ANALYZER'], 'MISSING_PREREQUISITE'],
    ['Analyzer with Recorder', 'ASSIGNED', ['I3_ACCESS_ANALYZER', 'I3_ACCESS_RECORDER'], 'OK'],
    [
      'concurrent Analyzer with Recorder',
      'CONCURRENT',
      ['I3_ACCESS_ANALYZER_CONCURRENT', 'I3_ACCESS_RECORDER'],
      'OK',
    ],
    ['Process Designer on a user', 'ASSIGNED', ['I3_ACCESS_IPA_PROCESS_DESIGNER'], 'OK'],
    // Earlier guards win: the same input always gets the same code.
    ['method before keys', 'X' as AllocationMethod, ['nope'], 'BAD_USER_INPUT', 'allocationMethod'],
    [
      'shape before station-only',
      'ASSIGNED',
      ['I3_LICENSE_BASIC_STATION', 'nope'],
      'BAD_USER_INPUT',
      'licenses',
    ],
    [
      'station-only before method conflict',
      'ASSIGNED',
      ['I3_ACCESS_CLIENT_CONCURRENT', 'I3_LICENSE_BASIC_STATION'],
      'STATION_ONLY_LICENSE',
    ],
    [
      'method conflict before prerequisite',
      'ASSIGNED',
      ['I3_ACCESS_ANALYZER', 'I3_ACCESS_CLIENT_CONCURRENT'],
      'ALLOCATION_METHOD_CONFLICT',
    ],
  ])('%s → %s', (...[_label, allocationMethod, licenses, code, field]) => {
    const result = validateUserLicenses({ allocationMethod, licenses });
    expect(outcome(result)).toBe(code);
    if (!result.ok && field !== undefined) expect(result.field).toBe(field);
  });

  it('names the key at fault', () => {
    const result = validateUserLicenses({ allocationMethod: 'ASSIGNED', licenses: ['I3_ACCESS_ANALYZER'] });
    expect(result).toMatchObject({ ok: false, code: 'MISSING_PREREQUISITE', key: 'I3_ACCESS_RECORDER' });
    if (!result.ok) expect(violationDetails(result)).toEqual({ key: 'I3_ACCESS_RECORDER' });
  });

  it('stores canonical base keys, distinct, in the order given', () => {
    const result = validateUserLicenses({
      allocationMethod: 'CONCURRENT',
      licenses: [
        'I3_CLIENT_ACCESS',
        'I3_ACCESS_ACD_MEDIA_1_CONCURRENT',
        'I3_ACCESS_CLIENT',
        'I3_ACCESS_ACD_MEDIA_1',
      ],
    });
    expect(result).toEqual({
      ok: true,
      licenses: ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1'],
      warnings: [],
    });
  });

  it('warns about IPA levels that a higher one includes', () => {
    const result = validateUserLicenses({
      allocationMethod: 'ASSIGNED',
      licenses: [
        'I3_ACCESS_IPA_DIRECT_ROUTED',
        'I3_ACCESS_IPA_PROCESS_DESIGNER',
        'I3_ACCESS_IPA_GROUP_ROUTED',
      ],
    });
    expect(result).toMatchObject({
      ok: true,
      warnings: [
        'I3_ACCESS_IPA_DIRECT_ROUTED is redundant: I3_ACCESS_IPA_PROCESS_DESIGNER includes it',
        'I3_ACCESS_IPA_GROUP_ROUTED is redundant: I3_ACCESS_IPA_PROCESS_DESIGNER includes it',
      ],
    });
  });
});

describe('validateStationLicenses: guards in order', () => {
  it.each<[string, StationKind, string[], boolean, string, string?]>([
    [
      'workstation with Basic Station',
      'WORKSTATION',
      ['I3_LICENSE_BASIC_STATION', 'I3_ACCESS_CLIENT'],
      true,
      'OK',
    ],
    ['unknown kind', 'DESK' as StationKind, [], true, 'BAD_USER_INPUT', 'kind'],
    ['malformed key', 'WORKSTATION', ['basic'], true, 'BAD_USER_INPUT', 'licenses'],
    ['server feature', 'WORKSTATION', ['I3_FEATURE_SIP'], true, 'BAD_USER_INPUT', 'licenses'],
    [
      'concurrent key',
      'WORKSTATION',
      ['I3_ACCESS_CLIENT_CONCURRENT'],
      true,
      'CONCURRENT_NOT_ALLOWED_FOR_STATIONS',
    ],
    [
      'concurrent Basic Station',
      'STAND_ALONE_PHONE',
      ['I3_LICENSE_BASIC_STATION_CONCURRENT'],
      true,
      'CONCURRENT_NOT_ALLOWED_FOR_STATIONS',
    ],
    ['Process Monitor', 'WORKSTATION', ['I3_ACCESS_IPA_PROCESS_MONITOR'], true, 'BAD_USER_INPUT', 'licenses'],
    ['Process Designer', 'MANAGED_WORKSTATION', ['I3_ACCESS_IPA_PROCESS_DESIGNER'], false, 'BAD_USER_INPUT'],
    ['Group Routed', 'WORKSTATION', ['I3_LICENSE_BASIC_STATION', 'I3_ACCESS_IPA_GROUP_ROUTED'], true, 'OK'],
    [
      'Basic Station on a dynamic remote',
      'DYNAMIC_REMOTE',
      ['I3_LICENSE_BASIC_STATION'],
      true,
      'BAD_USER_INPUT',
    ],
    ['Analyzer without Recorder', 'WORKSTATION', ['I3_ACCESS_ANALYZER'], true, 'MISSING_PREREQUISITE'],
    ['Analyzer with Recorder', 'REMOTE', ['I3_ACCESS_ANALYZER', 'I3_ACCESS_RECORDER'], false, 'OK'],
    ['stand-alone fax', 'STAND_ALONE_FAX', ['I3_LICENSE_BASIC_STATION'], true, 'OK'],
    [
      'concurrent before user-only',
      'WORKSTATION',
      ['I3_ACCESS_IPA_PROCESS_MONITOR', 'I3_ACCESS_CLIENT_CONCURRENT'],
      true,
      'CONCURRENT_NOT_ALLOWED_FOR_STATIONS',
    ],
    [
      'user-only before prerequisite',
      'WORKSTATION',
      ['I3_ACCESS_ANALYZER', 'I3_ACCESS_IPA_PROCESS_MONITOR'],
      true,
      'BAD_USER_INPUT',
    ],
  ])('%s → %s', (...[_label, kind, licenses, enabled, code, field]) => {
    const result = validateStationLicenses({ kind, licenses, enabled });
    expect(outcome(result)).toBe(code);
    if (!result.ok && field !== undefined) expect(result.field).toBe(field);
  });

  it('refuses a non-boolean enabled flag', () => {
    const result = validateStationLicenses({
      kind: 'WORKSTATION',
      licenses: [],
      enabled: 'yes' as unknown as boolean,
    });
    expect(result).toMatchObject({ ok: false, code: 'BAD_USER_INPUT', field: 'enabled' });
  });

  it.each<[StationKind, string[], boolean, string[]]>([
    ['WORKSTATION', ['I3_ACCESS_CLIENT'], true, [AUDIO_INACTIVE_WARNING]],
    ['REMOTE', [], true, [AUDIO_INACTIVE_WARNING]],
    ['STAND_ALONE_PHONE', ['I3_ACCESS_ACD_MEDIA_1'], true, [AUDIO_INACTIVE_WARNING]],
    ['WORKSTATION', ['I3_ACCESS_CLIENT'], false, []],
    ['WORKSTATION', ['I3_LICENSE_BASIC_STATION'], true, []],
    ['DYNAMIC_REMOTE', [], true, []],
  ])('%s with %j, enabled %s → warnings %j', (kind, licenses, enabled, warnings) => {
    expect(validateStationLicenses({ kind, licenses, enabled })).toEqual({
      ok: true,
      licenses: licenses,
      warnings,
    });
  });

  it('the audio warning reads as specified', () => {
    expect(AUDIO_INACTIVE_WARNING).toBe('Audio is inactive: station has no I3_LICENSE_BASIC_STATION licence');
  });
});

describe('checkServerPrerequisites', () => {
  const both = ['I3_FEATURE_ANALYZER_REALTIME', 'I3_FEATURE_RECORDER', 'I3_FEATURE_SIP'];

  it.each<[string, string[], string[], string | null]>([
    ['no Analyzer, no features', ['I3_ACCESS_RECORDER'], [], null],
    ['Analyzer with both features', ['I3_ACCESS_ANALYZER', 'I3_ACCESS_RECORDER'], both, null],
    [
      'Analyzer without the real-time feature',
      ['I3_ACCESS_ANALYZER'],
      ['I3_FEATURE_RECORDER'],
      'I3_FEATURE_ANALYZER_REALTIME',
    ],
    [
      'Analyzer without the recorder feature',
      ['I3_ACCESS_ANALYZER'],
      ['I3_FEATURE_ANALYZER_REALTIME'],
      'I3_FEATURE_RECORDER',
    ],
    [
      'concurrent Analyzer without features',
      ['I3_ACCESS_ANALYZER_CONCURRENT'],
      [],
      'I3_FEATURE_ANALYZER_REALTIME',
    ],
  ])('%s', (_label, licenses, serverKeys, missing) => {
    const result = checkServerPrerequisites(licenses, serverKeys);
    if (missing === null) expect(result).toBeNull();
    else expect(result).toMatchObject({ ok: false, code: 'MISSING_PREREQUISITE', key: missing });
  });
});
