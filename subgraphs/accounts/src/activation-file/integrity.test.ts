import { Topics, revisionOf, verifyLicenseFile } from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import {
  FILE_FIELDS,
  GENERATE,
  type Harness,
  type Line,
  SUMMARY,
  accountWithOrder,
  productionInput,
  startAccounts,
} from '../../test/harness.js';

interface File {
  id: string;
  content: string;
  revision: number;
  keys: Array<{ key: string; quantity: number }>;
}
interface SummaryLine {
  partNumber: string;
  ordered: number;
  used: number;
  remaining: number;
}

const GENERATE_REVISION = GENERATE.replace('{ id ', '{ id revision ');
const UPDATE = `mutation($id: ID!, $input: UpdateActivationFileInput!) {
  updateActivationFile(id: $id, input: $input) { revision ${FILE_FIELDS} }
}`;

describeEachDatabase('activation file integrity', (database) => {
  let h: Harness;
  let serial = 0;
  beforeAll(async () => {
    h = await startAccounts(database);
    h.clock.set('2021-03-01T09:00:00.000Z');
  });
  afterAll(() => h.close());

  async function customer(lines: Line[], licenseModel: 'PERPETUAL' | 'SUBSCRIPTION' = 'PERPETUAL') {
    serial += 1;
    const made = await accountWithOrder(h, {
      name: `Integrity ${serial}`,
      garn: `GARN-INT-${serial}`,
      lines,
      licenseModel,
    });
    const token = await h.token({
      sub: `integrity-${serial}`,
      roles: ['CUSTOMER_ADMIN'],
      accountId: made.accountId,
      certified: true,
    });
    return { ...made, token };
  }
  const generate = async (token: string, input: Record<string, unknown>) =>
    (await h.gql<{ generateActivationFile: File }>(token, GENERATE_REVISION, { input }))
      .generateActivationFile;
  const read = (file: File) => verifyLicenseFile(file.content, h.server.licensePublicKeyPem, h.clock);

  describe('revisions', () => {
    // SPEC (section 1, revisions): "Every generate and update gives the file a new revision, carried
    // in the signed content."
    it('signs revision 1 on generation and one more on every update, and tells allocation', async () => {
      const events = await h.events(Topics.ActivationFileUpdated);
      const clients = { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5 };
      const c = await customer([clients, { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 }]);
      const file = await generate(c.token, productionInput(c.siteId, { items: [clients] }));
      expect(file.revision).toBe(1);
      expect(revisionOf(read(file))).toBe(1);
      expect(file.content).toMatch(/^File-Id: .*\nRevision: 1\n/m);

      h.clock.advance(60_000);
      const lowered = (
        await h.gql<{ updateActivationFile: File }>(c.token, UPDATE, {
          id: file.id,
          input: { items: [{ ...clients, assignedQuantity: 1 }] },
        })
      ).updateActivationFile;
      expect(lowered.revision).toBe(2);
      expect(read(lowered)).toMatchObject({ fileId: file.id, revision: 2 });
      const lowerKeys = Object.fromEntries(lowered.keys.map((k) => [k.key, k.quantity]));
      expect(lowerKeys['I3_ACCESS_CLIENT']).toBe(1);

      // Quantities an update gives back return to the account once: the order of 5 has 4 left, not 8.
      const summary = await h.gql<{ account: { summary: SummaryLine[] } }>(h.admin, SUMMARY, {
        id: c.accountId,
      });
      expect(summary.account.summary.find((l) => l.partNumber === 'SW-001-4.0-AL02')).toMatchObject({
        ordered: 5,
        used: 1,
        remaining: 4,
      });

      const event = await eventually(() =>
        events.find((e) => (e.payload as { fileId: string }).fileId === file.id),
      );
      expect(event.payload).toEqual({
        fileId: file.id,
        accountId: c.accountId,
        revision: 2,
        content: lowered.content,
        updatedAt: '2021-03-01T09:01:00.000Z',
      });

      // Concurrent updates never share a revision: each one that succeeds is one more.
      const [a, b] = await Promise.allSettled(
        [2, 3].map((n) =>
          h.gql(c.token, UPDATE, { id: file.id, input: { items: [{ ...clients, assignedQuantity: n }] } }),
        ),
      );
      const won = [a, b].filter((r) => r.status === 'fulfilled').length;
      expect(won).toBeGreaterThanOrEqual(1);
      const current = await h.gql<{ activationFile: { revision: number } }>(
        h.admin,
        'query($id: ID!) { activationFile(id: $id) { revision } }',
        { id: file.id },
      );
      expect(current.activationFile.revision).toBe(2 + won);
    });
  });

  describe('subscription-only features', () => {
    // SPEC: "Usage tracking and virtual cloud each require a subscription agreement: a PERPETUAL file
    // never contains I3_FEATURE_USAGE_TRACKING_* or I3_FEATURE_VIRTUAL_CLOUD (generation refused with
    // a clear code)." (issue 14: a perpetual file carrying them got its server billed and degraded.)
    it.each([
      ['SW-002-4.0-FT12', 'I3_FEATURE_USAGE_TRACKING_UPLOAD'],
      ['SW-002-4.0-FT13', 'I3_FEATURE_USAGE_TRACKING_LOCAL'],
      ['SW-002-4.0-FT14', 'I3_FEATURE_VIRTUAL_CLOUD'],
    ])('refuses a perpetual file with %s (%s), naming the part', async (partNumber, key) => {
      const feature = { partNumber, assignedQuantity: 1 };
      const c = await customer([
        { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5 },
        feature,
        { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 },
      ]);
      const refused = await h.fail(c.token, GENERATE, {
        input: productionInput(c.siteId, {
          productVersion: '2020 R2',
          items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5 }, feature],
        }),
      });
      expect(refused.extensions).toMatchObject({
        code: 'SUBSCRIPTION_REQUIRED',
        field: 'items.1.partNumber',
        partNumber,
        key,
      });
      expect(refused.message).toMatch(new RegExp(`${partNumber} brings ${key}`));
      // Nothing was taken.
      const summary = await h.gql<{ account: { summary: SummaryLine[] } }>(h.admin, SUMMARY, {
        id: c.accountId,
      });
      expect(summary.account.summary.every((l) => l.used === 0)).toBe(true);
    });

    it('refuses to add usage tracking to a perpetual file by updating it', async () => {
      const feature = { partNumber: 'SW-002-4.0-FT13', assignedQuantity: 1 };
      const c = await customer([feature, { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 }]);
      const file = await generate(c.token, productionInput(c.siteId));
      const refused = await h.fail(c.token, UPDATE, { id: file.id, input: { items: [feature] } });
      expect(refused.extensions?.['code']).toBe('SUBSCRIPTION_REQUIRED');
    });

    it('development files hold neither, whatever the licence model', async () => {
      const c = await customer([{ partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 }]);
      const file = await generate(
        c.token,
        productionInput(c.siteId, { licenseType: 'DEVELOPMENT_NON_ORDERED_SMALL' }),
      );
      expect(file.keys.map((k) => k.key).filter((k) => /USAGE_TRACKING|VIRTUAL_CLOUD/.test(k))).toEqual([]);
    });
  });

  describe('minimum product versions', () => {
    // SPEC: "Minimum product versions: subscription licensing 2018 R2 Patch 2; virtual cloud 2020 R2."
    const server = { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 };
    it.each([
      ['2018 R2 Patch 1', [], 'PRODUCT_VERSION_TOO_OLD', '2018 R2 Patch 2'],
      ['2018 R2', [], 'PRODUCT_VERSION_TOO_OLD', '2018 R2 Patch 2'],
      ['2018 R2 Patch 2', [], null, null],
      ['2018 R3', [], null, null],
      ['2020 R1', ['SW-002-4.0-FT14'], 'PRODUCT_VERSION_TOO_OLD', '2020 R2'],
      ['2020 R2', ['SW-002-4.0-FT14'], null, null],
    ])('a subscription file for %s with %j: %s', async (productVersion, parts, code, minimum) => {
      const items = parts.map((partNumber) => ({ partNumber, assignedQuantity: 1 }));
      const c = await customer([...items, server], 'SUBSCRIPTION');
      const input = productionInput(c.siteId, { productVersion, items });
      if (code === null) {
        expect((await generate(h.admin, input)).revision).toBe(1);
        return;
      }
      const refused = await h.fail(h.admin, GENERATE, { input });
      expect(refused.extensions).toMatchObject({ code, field: 'productVersion', minimum });
    });
  });
});
