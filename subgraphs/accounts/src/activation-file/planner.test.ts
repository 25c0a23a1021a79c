import { DomainError, ErrorCode } from '@lic/shared';
import { PART_CATALOG } from '../part/part-catalog.js';
import { Catalog } from '../part/catalog.js';
import { type FileSpecification, type OrderTerms, type PlanContext, planActivationFile } from './planner.js';

const now = new Date('2021-03-01T00:00:00.000Z');
const perpetual: OrderTerms = {
  licenseModel: 'PERPETUAL',
  maintenancePaid: true,
  maintenancePaidUntil: null,
  rampDate: null,
  gracePeriodDays: null,
};
const subscription: OrderTerms = {
  licenseModel: 'SUBSCRIPTION',
  maintenancePaid: true,
  maintenancePaidUntil: null,
  rampDate: new Date('2021-04-01T00:00:00.000Z'),
  gracePeriodDays: 14,
};

function context(overrides: Partial<PlanContext> = {}): PlanContext {
  return {
    catalog: new Catalog(PART_CATALOG),
    orders: [perpetual],
    entitlements: [],
    caller: { admin: false, partner: false },
    viaRequest: false,
    now,
    ...overrides,
  };
}

function spec(overrides: Partial<FileSpecification> = {}): FileSpecification {
  return {
    installSiteId: 'site-1',
    product: 'PureConnect CIC',
    productVersion: '2020 R2',
    licenseType: 'PRODUCTION',
    machine: { hostId: 'HOST-1', machineName: 'cic1', systemType: 'Media Server Based' },
    serverItem: 'SW-003-4.0-SV01',
    items: [],
    ...overrides,
  };
}

function refusal(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const keysOf = (s: FileSpecification, c = context()) =>
  Object.fromEntries(planActivationFile(s, c).keys.map((k) => [k.key, k.quantity]));

describe('planning an activation file', () => {
  it('takes the items, add-ons and server item from the order, with the update key while maintenance is paid', () => {
    const plan = planActivationFile(
      spec({
        items: [{ partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 25 }],
        addOnItems: [{ partNumber: 'SW-001-4.0-AA02', assignedQuantity: 1, pooledQuantity: 1 }],
      }),
      context(),
    );
    expect(plan.takes.map((t) => [t.role, t.partNumber, t.assigned, t.pooled, t.taken])).toEqual([
      ['ITEM', 'SW-001-4.0-AL04', 5, 25, true],
      ['ADD_ON', 'SW-001-4.0-AA02', 1, 1, true],
      ['SERVER', 'SW-003-4.0-SV01', 1, 0, true],
    ]);
    expect(Object.fromEntries(plan.keys.map((k) => [k.key, k.quantity]))).toEqual({
      I3_ACCESS_ACD_MEDIA_1: 5,
      I3_ACCESS_ACD_MEDIA_1_CONCURRENT: 25,
      I3_ACCESS_CLIENT: 5,
      I3_ACCESS_CLIENT_CONCURRENT: 25,
      I3_ACCESS_INTERACTION_SCRIPTER_ADDON: 1,
      I3_ACCESS_INTERACTION_SCRIPTER_ADDON_CONCURRENT: 1,
      I3_FEATURE_SU_ALLOWED: 1,
      I3_LICENSE_BASIC_STATION: 30,
      I3_SERVER_BASIC_PRODUCTION: 1,
    });
  });

  it('leaves the update key out once maintenance has lapsed', () => {
    const lapsed = context({
      orders: [{ ...perpetual, maintenancePaidUntil: new Date('2021-02-28T00:00:00.000Z') }],
    });
    expect(keysOf(spec(), lapsed)['I3_FEATURE_SU_ALLOWED']).toBeUndefined();
    const e = refusal(() =>
      planActivationFile(
        spec({ items: [{ partNumber: 'SW-002-4.0-FT11', assignedQuantity: 1 }] }),
        context(),
      ),
    );
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'items.0.partNumber' });
  });

  it.each<[string, Partial<FileSpecification>, string, string]>([
    [
      'an unknown part',
      { items: [{ partNumber: 'SW-9', assignedQuantity: 1 }] },
      'items.0.partNumber',
      'Unknown part',
    ],
    [
      'an add-on among the items',
      { items: [{ partNumber: 'SW-001-4.0-AA01', assignedQuantity: 1 }] },
      'items.0.partNumber',
      'addOnItems',
    ],
    [
      'an access part among the add-ons',
      { addOnItems: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }] },
      'addOnItems.0.partNumber',
      'not an add-on',
    ],
    [
      'a second server item',
      { items: [{ partNumber: 'SW-003-4.0-SV02', assignedQuantity: 1 }] },
      'items.0.partNumber',
      'exactly one server item',
    ],
    [
      'a pooled feature',
      { items: [{ partNumber: 'SW-002-4.0-FT01', assignedQuantity: 0, pooledQuantity: 1 }] },
      'items.0.pooledQuantity',
      'pooled',
    ],
    [
      'a line of nothing',
      { items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 0 }] },
      'items.0.assignedQuantity',
      'nothing',
    ],
    [
      'a negative quantity',
      { items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: -1 }] },
      'items.0.assignedQuantity',
      'whole number',
    ],
    [
      'a part listed twice',
      {
        items: [
          { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 },
          { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 },
        ],
      },
      'items.1.partNumber',
      'twice',
    ],
    [
      'a bundle',
      { items: [{ partNumber: 'SW-007-4.0-BN01', assignedQuantity: 1 }] },
      'items.0.partNumber',
      'through an activation file request',
    ],
    [
      'a media server as switchover server',
      { switchover: { hostId: 'H2', machineName: 'cic2', serverItem: 'SW-003-4.0-SV04' } },
      'switchover.serverItem',
      'production server',
    ],
    ['a feature part as server item', { serverItem: 'SW-002-4.0-FT01' }, 'serverItem', 'not a server item'],
    ['a malformed version', { productVersion: '2020R2' }, 'productVersion', 'look like'],
    [
      'an empty machine name',
      { machine: { hostId: 'H', machineName: ' ', systemType: 'x' } },
      'machine.machineName',
      'required',
    ],
  ])('refuses %s on its field', (_name, overrides, field, message) => {
    const e = refusal(() => planActivationFile(spec(overrides), context()));
    expect(e.extensions['code']).toBe(ErrorCode.BAD_USER_INPUT);
    expect(e.extensions['field']).toBe(field);
    expect(e.message).toContain(message);
  });

  it('lets the licensing team put bundles in a file that fulfils a request', () => {
    const keys = keysOf(
      spec({ items: [{ partNumber: 'SW-007-4.0-BN01', assignedQuantity: 2 }] }),
      context({ caller: { admin: true, partner: false }, viaRequest: true }),
    );
    expect(keys['I3_ACCESS_CLIENT']).toBe(2);
  });

  describe('host IDs', () => {
    const vcItems = [{ partNumber: 'SW-002-4.0-FT14', assignedQuantity: 1 }];
    const admin = { caller: { admin: true, partner: false }, orders: [subscription] };
    const hostless = { hostId: null, machineName: 'cloud-cic', systemType: 'Virtual' };

    it('requires one for a perpetual file', () => {
      const e = refusal(() => planActivationFile(spec({ machine: hostless }), context()));
      expect(e.extensions).toMatchObject({ code: 'HOST_ID_REQUIRED', field: 'machine.hostId' });
    });

    it('lets a 2020 R2 subscription file with virtual cloud go without, carrying the ramp date and grace period', () => {
      const plan = planActivationFile(spec({ machine: hostless, items: vcItems }), context(admin));
      expect(plan.machine.hostId).toBe('');
      expect(plan.virtualCloud).toEqual({ rampDate: subscription.rampDate, gracePeriodDays: 14 });
    });

    it('refuses virtual cloud before 2020 R2 altogether', () => {
      const e = refusal(() =>
        planActivationFile(
          spec({ machine: hostless, productVersion: '2020 R1', items: vcItems }),
          context(admin),
        ),
      );
      expect(e.extensions).toMatchObject({ code: 'PRODUCT_VERSION_TOO_OLD', minimum: '2020 R2' });
    });

    it.each<[string, Partial<FileSpecification>]>([['without virtual cloud', { items: [] }]])(
      'still requires one %s',
      (_n, overrides) => {
        const e = refusal(() =>
          planActivationFile(spec({ machine: hostless, ...overrides }), context(admin)),
        );
        expect(e.extensions['code']).toBe('HOST_ID_REQUIRED');
      },
    );

    it('requires the switchover host ID by the same rule', () => {
      const e = refusal(() =>
        planActivationFile(
          spec({
            items: [{ partNumber: 'SW-002-4.0-FT02', assignedQuantity: 1 }],
            switchover: { hostId: '', machineName: 'cic2', serverItem: 'SW-003-4.0-SV01' },
          }),
          context(),
        ),
      );
      expect(e.extensions).toMatchObject({ code: 'HOST_ID_REQUIRED', field: 'switchover.hostId' });
    });
  });

  describe('switchover', () => {
    const feature = [{ partNumber: 'SW-002-4.0-FT02', assignedQuantity: 1 }];
    it('asks for the switchover machine or "provide later" when the file holds the Switchover feature', () => {
      expect(refusal(() => planActivationFile(spec({ items: feature }), context())).extensions['field']).toBe(
        'switchover',
      );
      const later = planActivationFile(spec({ items: feature, provideSwitchoverLater: true }), context());
      expect(later.provideSwitchoverLater).toBe(true);
      expect(later.switchover).toBeUndefined();
    });

    it('takes the switchover server item and names both machines', () => {
      const plan = planActivationFile(
        spec({
          items: feature,
          switchover: { hostId: 'H2', machineName: 'cic2', serverItem: 'SW-003-4.0-SV01' },
        }),
        context(),
      );
      expect(plan.takes.find((t) => t.role === 'SWITCHOVER_SERVER')).toMatchObject({
        partNumber: 'SW-003-4.0-SV01',
        assigned: 1,
        taken: true,
      });
      expect(plan.keys.find((k) => k.key === 'I3_SERVER_BASIC_PRODUCTION')?.quantity).toBe(2);
      expect(plan.switchover).toMatchObject({
        hostId: 'H2',
        machineName: 'cic2',
        serverItem: 'SW-003-4.0-SV01 Basic Production Server',
      });
    });

    it('refuses a switchover machine without the feature, or both a machine and "later"', () => {
      const pair = { hostId: 'H2', machineName: 'cic2', serverItem: 'SW-003-4.0-SV01' };
      expect(refusal(() => planActivationFile(spec({ switchover: pair }), context())).message).toContain(
        'Switchover feature',
      );
      expect(
        refusal(() =>
          planActivationFile(
            spec({ items: feature, switchover: pair, provideSwitchoverLater: true }),
            context(),
          ),
        ).extensions['field'],
      ).toBe('provideSwitchoverLater');
    });
  });

  describe('licence types', () => {
    it('gives a certified partner a free 30-day development file without any order', () => {
      const plan = planActivationFile(
        spec({ licenseType: 'DEVELOPMENT_NON_ORDERED_LARGE', serverItem: 'SW-003-4.0-SV03' }),
        context({ orders: [], caller: { admin: false, partner: true } }),
      );
      expect(plan.partnerDevelopment).toBe(true);
      expect(plan.takes.every((t) => !t.taken)).toBe(true);
      expect(plan.validity.expiresAt.toISOString()).toBe('2021-03-31T00:00:00.000Z');
      expect(plan.keys.find((k) => k.key === 'I3_ACCESS_CLIENT')?.quantity).toBe(30);
    });

    it('draws a customer development file from the granting server item', () => {
      const plan = planActivationFile(
        spec({ licenseType: 'DEVELOPMENT_NON_ORDERED_SMALL', serverItem: 'SW-003-4.0-SV02' }),
        context(),
      );
      expect(plan.takes).toEqual([
        expect.objectContaining({
          role: 'DEVELOPMENT_ALLOWANCE',
          partNumber: 'SW-003-4.0-SV02',
          taken: true,
        }),
      ]);
      const e = refusal(() =>
        planActivationFile(
          spec({ licenseType: 'DEVELOPMENT_NON_ORDERED_SMALL', serverItem: 'SW-003-4.0-SV03' }),
          context(),
        ),
      );
      expect(e.message).toContain('Basic or Intermediate');
    });

    it('allows no components in development and evaluation files', () => {
      const items = [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }];
      for (const [licenseType, serverItem] of [
        ['DEVELOPMENT_ORDERED_SMALL', 'SW-005-4.0-DV01'],
        ['EVALUATION', 'SW-006-4.0-EV01'],
      ] as const) {
        expect(
          refusal(() => planActivationFile(spec({ licenseType, serverItem, items }), context())).message,
        ).toContain('No components');
      }
      const evaluation = keysOf(spec({ licenseType: 'EVALUATION', serverItem: 'SW-006-4.0-EV01' }));
      expect(evaluation).toMatchObject({
        I3_ACCESS_CLIENT: 5,
        I3_SESSION_CALL_PORT: 8,
        I3_LICENSE_EVALUATION: 1,
      });
    });

    it('gives trials to existing customers only, taking nothing from their orders', () => {
      const items = [{ partNumber: 'SW-002-4.0-FT03', assignedQuantity: 1 }];
      expect(
        planActivationFile(spec({ licenseType: 'TRIAL', items }), context()).takes.every((t) => !t.taken),
      ).toBe(true);
      expect(
        refusal(() => planActivationFile(spec({ licenseType: 'TRIAL', items }), context({ orders: [] })))
          .extensions['field'],
      ).toBe('licenseType');
    });

    it('sends customers with subscription or mixed estates to a request', () => {
      for (const orders of [[subscription], [perpetual, subscription]]) {
        const e = refusal(() => planActivationFile(spec({ licenseModel: 'PERPETUAL' }), context({ orders })));
        expect(e.extensions['code']).toBe(orders.length === 1 ? 'BAD_USER_INPUT' : 'FORBIDDEN');
      }
      expect(
        refusal(() => planActivationFile(spec(), context({ orders: [subscription] }))).extensions['code'],
      ).toBe('FORBIDDEN');
      expect(
        refusal(() =>
          planActivationFile(
            spec(),
            context({ orders: [perpetual, subscription], caller: { admin: true, partner: false } }),
          ),
        ).extensions['field'],
      ).toBe('licenseModel');
    });
  });

  it('licenses no version beyond what was ordered', () => {
    const entitled = context({
      entitlements: [{ partNumber: 'SW-003-4.0-SV01', licenseModel: 'PERPETUAL', productVersion: '2019 R4' }],
    });
    expect(
      refusal(() => planActivationFile(spec({ productVersion: '2020 R1' }), entitled)).message,
    ).toContain('upgrade the software');
    expect(planActivationFile(spec({ productVersion: '2019 R4 Patch 2' }), entitled).productVersion).toBe(
      '2019 R4 Patch 2',
    );
  });
});
