import { DomainError, ErrorCode } from '@lic/shared';
import { expandOrder, expandOrderLine } from './expand.js';
import { type CatalogPart, PartKind } from './part-catalog.js';

function caught(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('expandOrderLine', () => {
  // docs/domain.md section 1, the reference's part table, row for row and key for key.
  it.each<[string, number, number, Array<[string, number]>]>([
    ['SW-001-4.0-AL01', 0, 25, [['I3_LICENSE_BASIC_STATION', 25]]],
    [
      'SW-001-4.0-AL02',
      5,
      0,
      [
        ['I3_LICENSE_BASIC_STATION', 5],
        ['I3_ACCESS_CLIENT', 5],
      ],
    ],
    [
      'SW-001-4.0-AL03',
      5,
      25,
      [
        ['I3_LICENSE_BASIC_STATION', 30],
        ['I3_ACCESS_ACD_MEDIA_1', 5],
        ['I3_ACCESS_ACD_MEDIA_1_CONCURRENT', 25],
      ],
    ],
    [
      'SW-001-4.0-AL04',
      5,
      25,
      [
        ['I3_LICENSE_BASIC_STATION', 30],
        ['I3_ACCESS_CLIENT', 5],
        ['I3_ACCESS_ACD_MEDIA_1', 5],
        ['I3_ACCESS_CLIENT_CONCURRENT', 25],
        ['I3_ACCESS_ACD_MEDIA_1_CONCURRENT', 25],
      ],
    ],
    [
      'SW-001-4.0-AA01',
      2,
      0,
      [
        ['I3_ACCESS_DIALER_SUPERVISOR_PLUGIN', 2],
        ['I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN', 2],
        ['I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN', 2],
      ],
    ],
    [
      'SW-001-4.0-AA02',
      1,
      1,
      [
        ['I3_ACCESS_INTERACTION_SCRIPTER_ADDON', 1],
        ['I3_ACCESS_INTERACTION_SCRIPTER_ADDON_CONCURRENT', 1],
      ],
    ],
    [
      'SW-001-4.0-AA17',
      2,
      2,
      [
        ['I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN', 2],
        ['I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN_CONCURRENT', 2],
      ],
    ],
  ])(
    '%s with %i assigned and %i pooled grants exactly the reference keys',
    (part, assigned, pooled, keys) => {
      expect(expandOrderLine(part, assigned, pooled)).toEqual(
        keys.map(([key, quantity]) => ({ key, quantity })),
      );
    },
  );

  it('grants feature, server and session keys per unit', () => {
    expect(expandOrderLine('SW-002-4.0-FT14', 1, 0)).toEqual([
      { key: 'I3_FEATURE_VIRTUAL_CLOUD', quantity: 1 },
    ]);
    expect(expandOrderLine('SW-003-4.0-SV03', 1, 0)).toEqual([
      { key: 'I3_SERVER_ADVANCED_PRODUCTION', quantity: 1 },
    ]);
    expect(expandOrderLine('SW-004-4.0-SN01', 46, 0)).toEqual([
      { key: 'I3_SESSION_CALL_PORT', quantity: 46 },
    ]);
  });

  it('grants nothing for an empty line', () => {
    expect(expandOrderLine('SW-001-4.0-AL04', 0, 0)).toEqual([]);
  });

  it('accepts a part object, as loaded from the parts table', () => {
    const part: CatalogPart = {
      partNumber: 'SW-099-4.0-XX01',
      description: 'Test bundle',
      kind: PartKind.ACCESS,
      keys: ['I3_ACCESS_CLIENT', 'I3_LICENSE_BASIC_STATION', 'I3_ACCESS_CLIENT'],
      hasUpgradeOption: false,
    };
    // A key listed twice is still granted once per unit, and the station comes first wherever it is listed.
    expect(expandOrderLine(part, 3, 4)).toEqual([
      { key: 'I3_LICENSE_BASIC_STATION', quantity: 7 },
      { key: 'I3_ACCESS_CLIENT', quantity: 3 },
      { key: 'I3_ACCESS_CLIENT_CONCURRENT', quantity: 4 },
    ]);
  });

  it.each<[string, number, number, string]>([
    ['a negative assigned quantity', -1, 0, 'assignedQuantity'],
    ['a negative pooled quantity', 0, -5, 'pooledQuantity'],
    ['a fractional assigned quantity', 1.5, 0, 'assignedQuantity'],
    ['a fractional pooled quantity', 0, 0.25, 'pooledQuantity'],
    ['a NaN quantity', Number.NaN, 0, 'assignedQuantity'],
    ['an infinite quantity', 0, Number.POSITIVE_INFINITY, 'pooledQuantity'],
    ['an unsafe integer', 2 ** 53, 0, 'assignedQuantity'],
  ])('refuses %s with BAD_USER_INPUT', (_name, assigned, pooled, field) => {
    const error = caught(() => expandOrderLine('SW-001-4.0-AL04', assigned, pooled));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.extensions['field']).toBe(field);
    expect(error.message).toMatch(/must be a whole number of at least 0/);
  });

  it('refuses an unknown part', () => {
    const error = caught(() => expandOrderLine('SW-001-4.0-ZZ99', 1, 0));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe('Unknown part number SW-001-4.0-ZZ99');
    expect(error.extensions['field']).toBe('partNumber');
  });

  it.each(['SW-002-4.0-FT01', 'SW-003-4.0-SV01', 'SW-004-4.0-SN01'])(
    'refuses a pooled quantity of %s',
    (part) => {
      const error = caught(() => expandOrderLine(part, 1, 1));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.message).toMatch(/only access and add-on licences can be pooled/);
    },
  );
});

describe('expandOrder', () => {
  it('sums the lines per key and sorts by key', () => {
    expect(
      expandOrder([
        { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5, pooledQuantity: 0 },
        { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 25 },
        { partNumber: 'SW-001-4.0-AL01', assignedQuantity: 0, pooledQuantity: 25 },
        { partNumber: 'SW-001-4.0-AA01', assignedQuantity: 2, pooledQuantity: 0 },
        { partNumber: 'SW-001-4.0-AA19', assignedQuantity: 1, pooledQuantity: 3 },
        { partNumber: 'SW-002-4.0-FT14', assignedQuantity: 1, pooledQuantity: 0 },
      ]),
    ).toEqual([
      { key: 'I3_ACCESS_ACD_MEDIA_1', quantity: 5 },
      { key: 'I3_ACCESS_ACD_MEDIA_1_CONCURRENT', quantity: 25 },
      { key: 'I3_ACCESS_CLIENT', quantity: 10 },
      { key: 'I3_ACCESS_CLIENT_CONCURRENT', quantity: 25 },
      { key: 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN', quantity: 2 },
      { key: 'I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN', quantity: 2 },
      { key: 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN', quantity: 3 },
      { key: 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN_CONCURRENT', quantity: 3 },
      { key: 'I3_FEATURE_VIRTUAL_CLOUD', quantity: 1 },
      { key: 'I3_LICENSE_BASIC_STATION', quantity: 60 },
    ]);
  });

  it('is empty for no lines', () => {
    expect(expandOrder([])).toEqual([]);
  });

  it('names the offending line', () => {
    const bad = caught(() =>
      expandOrder([
        { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5, pooledQuantity: 0 },
        { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: -1 },
      ]),
    );
    expect(bad.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(bad.extensions['field']).toBe('lines.1.pooledQuantity');

    const unknown = caught(() =>
      expandOrder([{ partNumber: 'nope', assignedQuantity: 1, pooledQuantity: 0 }]),
    );
    expect(unknown.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(unknown.extensions['field']).toBe('lines.0.partNumber');
  });
});
