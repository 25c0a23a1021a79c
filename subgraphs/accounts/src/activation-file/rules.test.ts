import { type LicenseType } from '@lic/shared';
import { PART_CATALOG, findPart } from '../part/part-catalog.js';
import { Catalog } from '../part/catalog.js';
import {
  PRODUCTION_EXPIRY,
  developmentKeys,
  hostIdOptional,
  licenseValidity,
  maintenancePaid,
  nonOrderedDevelopmentSizeOf,
  orderedDevelopmentSizeOf,
  releaseRank,
  serverTier,
  minimumVersionProblem,
  versionAtLeast,
} from './rules.js';

const generatedAt = new Date('2020-05-01T10:00:00.000Z');
const catalog = new Catalog(PART_CATALOG);
const part = (n: string) => findPart(n)!;

describe('licence validity', () => {
  it.each<
    [
      LicenseType,
      { partnerDevelopment?: boolean; multiSiteAdministration?: boolean },
      string,
      string | undefined,
    ]
  >([
    ['PRODUCTION', {}, '2100-01-01T00:00:00.000Z', undefined],
    ['PRODUCTION', { multiSiteAdministration: true }, '2100-01-01T00:00:00.000Z', '2021-05-01T10:00:00.000Z'],
    ['TRIAL', {}, '2020-06-30T10:00:00.000Z', undefined],
    ['DEVELOPMENT_ORDERED_SMALL', {}, '2021-05-01T10:00:00.000Z', undefined],
    ['DEVELOPMENT_ORDERED_LARGE', {}, '2021-05-01T10:00:00.000Z', undefined],
    ['DEVELOPMENT_NON_ORDERED_SMALL', { partnerDevelopment: true }, '2020-05-31T10:00:00.000Z', undefined],
    ['DEVELOPMENT_NON_ORDERED_LARGE', { partnerDevelopment: true }, '2020-05-31T10:00:00.000Z', undefined],
    ['DEVELOPMENT_NON_ORDERED_SMALL', {}, '2021-05-01T10:00:00.000Z', undefined],
    ['EVALUATION', {}, '2020-07-30T10:00:00.000Z', undefined],
  ])('%s %j expires %s, re-registers %s', (type, options, expires, reRegister) => {
    const validity = licenseValidity(type, generatedAt, options);
    expect(validity.expiresAt.toISOString()).toBe(expires);
    expect(validity.reRegisterBy?.toISOString()).toBe(reRegister);
  });

  it('never asks a production file for anniversary re-registration, whatever the generation date', () => {
    for (const at of ['2019-02-28T00:00:00.000Z', '2024-02-29T12:00:00.000Z', '2099-12-31T23:59:59.999Z']) {
      expect(licenseValidity('PRODUCTION', new Date(at))).toEqual({ expiresAt: PRODUCTION_EXPIRY });
    }
  });
});

describe('product versions', () => {
  it.each([
    ['4.0', 20140],
    ['2015 R1', 20151],
    ['2020 R2', 20202],
    ['2020 R2 Patch 3', 20202],
    ['2021 R4', 20214],
  ])('%s ranks %d', (version, rank) => expect(releaseRank(version)).toBe(rank));

  it.each(['', '2020', '2020R2', '2020 R5', 'CIC 2020 R2', '2020 R2 Patch 0', ' 2020 R2'])(
    'refuses "%s"',
    (v) => expect(releaseRank(v)).toBeUndefined(),
  );
});

describe('the virtual-cloud host-ID exception', () => {
  const vc = [{ key: 'I3_FEATURE_VIRTUAL_CLOUD', quantity: 1 }];
  it.each<['PERPETUAL' | 'SUBSCRIPTION', boolean, string, boolean]>([
    ['SUBSCRIPTION', true, '2020 R2', true],
    ['SUBSCRIPTION', true, '2021 R1 Patch 4', true],
    ['SUBSCRIPTION', true, '2020 R1', false],
    ['SUBSCRIPTION', false, '2020 R2', false],
    ['PERPETUAL', true, '2020 R2', false],
  ])('%s with virtual cloud %s on %s: host ID optional = %s', (model, withVc, version, optional) => {
    expect(hostIdOptional(model, withVc ? vc : [], version)).toBe(optional);
  });
});

describe('server items', () => {
  it('knows which server grants which free development file', () => {
    expect(serverTier(part('SW-003-4.0-SV04'))).toBe('MEDIA');
    expect(nonOrderedDevelopmentSizeOf(part('SW-003-4.0-SV01'))).toBe('SMALL');
    expect(nonOrderedDevelopmentSizeOf(part('SW-003-4.0-SV02'))).toBe('SMALL');
    expect(nonOrderedDevelopmentSizeOf(part('SW-003-4.0-SV03'))).toBe('LARGE');
    expect(nonOrderedDevelopmentSizeOf(part('SW-003-4.0-SV04'))).toBeUndefined();
    expect(orderedDevelopmentSizeOf(part('SW-005-4.0-DV02'))).toBe('LARGE');
  });
});

describe('development content', () => {
  it.each([
    ['SMALL', 8],
    ['LARGE', 30],
  ] as const)('a %s file holds every feature and %d of each access and session licence', (size, n) => {
    const keys = new Map(developmentKeys(catalog, size).map((k) => [k.key, k.quantity]));
    expect(keys.get('I3_FEATURE_SIP')).toBe(1);
    expect(keys.get('I3_FEATURE_DIALER')).toBe(1);
    expect(keys.has('I3_FEATURE_VIRTUAL_CLOUD')).toBe(false);
    expect(keys.get('I3_LICENSE_BASIC_STATION')).toBe(n);
    expect(keys.get('I3_ACCESS_CLIENT')).toBe(n);
    expect(keys.get('I3_ACCESS_RECORDER')).toBe(n);
    expect(keys.get('I3_SESSION_CALL_PORT')).toBe(n);
  });
});

describe('maintenance', () => {
  const now = new Date('2020-05-01T00:00:00.000Z');
  it.each([
    [[], false],
    [[{ maintenancePaid: true, maintenancePaidUntil: null }], true],
    [[{ maintenancePaid: true, maintenancePaidUntil: new Date('2020-05-01T00:00:00.001Z') }], true],
    [[{ maintenancePaid: true, maintenancePaidUntil: now }], false],
    [[{ maintenancePaid: false, maintenancePaidUntil: null }], false],
  ])('orders %j: paid = %s', (orders, paid) => expect(maintenancePaid(orders, now)).toBe(paid));
});

describe('product version minimums', () => {
  it.each([
    ['2018 R2 Patch 2', '2018 R2 Patch 2', true],
    ['2018 R2 Patch 10', '2018 R2 Patch 2', true],
    ['2018 R2 Patch 1', '2018 R2 Patch 2', false],
    ['2018 R2', '2018 R2 Patch 2', false],
    ['2018 R3', '2018 R2 Patch 2', true],
    ['4.0', '2018 R2 Patch 2', false],
    ['2020 R2', '2020 R2', true],
    ['2020 R1 Patch 9', '2020 R2', false],
    ['nonsense', '2020 R2', false],
  ])('%s is at least %s: %s', (version, minimum, expected) => {
    expect(versionAtLeast(version, minimum)).toBe(expected);
  });

  it.each([
    ['PERPETUAL', [], '4.0', undefined],
    ['SUBSCRIPTION', [], '2018 R2 Patch 1', '2018 R2 Patch 2'],
    ['SUBSCRIPTION', [], '2018 R2 Patch 2', undefined],
    ['SUBSCRIPTION', [{ key: 'I3_FEATURE_VIRTUAL_CLOUD', quantity: 1 }], '2020 R1', '2020 R2'],
    ['SUBSCRIPTION', [{ key: 'I3_FEATURE_VIRTUAL_CLOUD', quantity: 1 }], '2020 R2', undefined],
  ] as const)('%s %j on %s needs %s', (model, keys, version, since) => {
    expect(minimumVersionProblem(model, keys, version)?.since).toBe(since);
  });
});
