import {
  DAY_MS,
  DomainError,
  ErrorCode,
  Topics,
  generateSigningKeyPair,
  verifyLicenseFile,
} from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import {
  CREATE_ACCOUNT,
  CREATE_ORDER,
  CREATE_SITE,
  DEACTIVATE,
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
  fileName: string;
  content: string;
  licenseType: string;
  licenseModel: string;
  active: boolean;
  generatedAt: string;
  expiresAt: string;
  reRegisterBy: string | null;
  keys: Array<{ key: string; quantity: number }>;
  machine: { hostId: string; machineName: string };
  switchover: { hostId: string; machineName: string } | null;
  virtualCloud: { rampDate: string; gracePeriodDays: number } | null;
  items: Array<{ role: string; partNumber: string; taken: boolean }>;
}
interface SummaryLine {
  partNumber: string;
  licenseModel: string;
  ordered: number;
  used: number;
  remaining: number;
  assignedRemaining: number;
  pooledRemaining: number;
  developmentFilesUsed: number;
}

const keysOf = (file: File) => Object.fromEntries(file.keys.map((k) => [k.key, k.quantity]));

function verificationError(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the file verified');
}

describeEachDatabase('activation files', (database) => {
  let h: Harness;
  let serial = 0;
  beforeAll(async () => {
    h = await startAccounts(database);
    h.clock.set('2021-03-01T09:00:00.000Z');
  });
  afterAll(() => h.close());

  /** A customer with one site and an order, and a certified administrator of it. */
  async function customer(
    lines: Line[],
    order: Record<string, unknown> = {},
    licenseModel: 'PERPETUAL' | 'SUBSCRIPTION' = 'PERPETUAL',
  ) {
    serial += 1;
    const made = await accountWithOrder(h, {
      name: `Customer ${serial}`,
      garn: `GARN-AF-${serial}`,
      lines,
      order,
      licenseModel,
    });
    const token = await h.token({
      sub: `admin-${serial}`,
      roles: ['CUSTOMER_ADMIN'],
      accountId: made.accountId,
      certified: true,
    });
    return { ...made, token };
  }
  const generate = async (token: string, input: Record<string, unknown>) =>
    (await h.gql<{ generateActivationFile: File }>(token, GENERATE, { input })).generateActivationFile;
  const summary = async (accountId: string) =>
    (await h.gql<{ account: { summary: SummaryLine[] } }>(h.admin, SUMMARY, { id: accountId })).account
      .summary;
  const line = (rows: SummaryLine[], partNumber: string) => rows.find((r) => r.partNumber === partNumber)!;

  it('generates every licence type with its validity dates', async () => {
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 25 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 2 },
      { partNumber: 'SW-003-4.0-SV05', assignedQuantity: 1 },
      { partNumber: 'SW-005-4.0-DV01', assignedQuantity: 1 },
      { partNumber: 'SW-006-4.0-EV01', assignedQuantity: 1 },
    ]);
    const at = (machineName: string, licenseType: string, serverItem: string, items: Line[] = []) =>
      generate(
        c.token,
        productionInput(c.siteId, {
          licenseType,
          serverItem,
          items,
          machine: { hostId: `H-${machineName}`, machineName, systemType: 'Server' },
        }),
      );
    const production = await at('prod', 'PRODUCTION', 'SW-003-4.0-SV01', [
      { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 25 },
    ]);
    const multiSite = await at('msa', 'PRODUCTION', 'SW-003-4.0-SV05');
    const trial = await at('trial', 'TRIAL', 'SW-003-4.0-SV03', [
      { partNumber: 'SW-002-4.0-FT03', assignedQuantity: 1 },
    ]);
    const ordered = await at('dev-ordered', 'DEVELOPMENT_ORDERED_SMALL', 'SW-005-4.0-DV01');
    const free = await at('dev-free', 'DEVELOPMENT_NON_ORDERED_SMALL', 'SW-003-4.0-SV01');
    const evaluation = await at('eval', 'EVALUATION', 'SW-006-4.0-EV01');

    const dates = (f: File) => [f.licenseType, f.generatedAt, f.expiresAt, f.reRegisterBy];
    expect([production, multiSite, trial, ordered, free, evaluation].map(dates)).toEqual([
      ['PRODUCTION', '2021-03-01T09:00:00.000Z', '2100-01-01T00:00:00.000Z', null],
      ['PRODUCTION', '2021-03-01T09:00:00.000Z', '2100-01-01T00:00:00.000Z', '2022-03-01T09:00:00.000Z'],
      ['TRIAL', '2021-03-01T09:00:00.000Z', '2021-04-30T09:00:00.000Z', null],
      ['DEVELOPMENT_ORDERED_SMALL', '2021-03-01T09:00:00.000Z', '2022-03-01T09:00:00.000Z', null],
      ['DEVELOPMENT_NON_ORDERED_SMALL', '2021-03-01T09:00:00.000Z', '2022-03-01T09:00:00.000Z', null],
      ['EVALUATION', '2021-03-01T09:00:00.000Z', '2021-05-30T09:00:00.000Z', null],
    ]);
    // The signed content carries the same dates and keys.
    const content = verifyLicenseFile(multiSite.content, h.server.licensePublicKeyPem, h.clock);
    expect(content.reRegisterBy?.toISOString()).toBe('2022-03-01T09:00:00.000Z');
    expect(content.expiresAt.toISOString()).toBe('2100-01-01T00:00:00.000Z');
    expect(keysOf(production)).toMatchObject({
      I3_LICENSE_BASIC_STATION: 30,
      I3_ACCESS_CLIENT_CONCURRENT: 25,
      I3_FEATURE_SU_ALLOWED: 1,
    });
    expect(keysOf(ordered)).toMatchObject({
      I3_ACCESS_CLIENT: 8,
      I3_SESSION_CALL_PORT: 8,
      I3_FEATURE_DIALER: 1,
    });
    expect(keysOf(evaluation)).toMatchObject({ I3_ACCESS_CLIENT: 5, I3_SESSION_CALL_PORT: 8 });
    expect(trial.items.every((i) => !i.taken)).toBe(true);

    const rows = await summary(c.accountId);
    expect(line(rows, 'SW-003-4.0-SV01')).toMatchObject({
      ordered: 2,
      used: 1,
      remaining: 1,
      developmentFilesUsed: 1,
    });
    expect(line(rows, 'SW-005-4.0-DV01')).toMatchObject({ used: 1, remaining: 0 });
    expect(line(rows, 'SW-006-4.0-EV01')).toMatchObject({ used: 1, remaining: 0 });
    // One free development file per qualifying server unit ordered: the second unit grants one more, the third nothing.
    await at('dev-free-2', 'DEVELOPMENT_NON_ORDERED_SMALL', 'SW-003-4.0-SV01');
    const third = await h.fail(c.token, GENERATE, {
      input: productionInput(c.siteId, {
        licenseType: 'DEVELOPMENT_NON_ORDERED_SMALL',
        serverItem: 'SW-003-4.0-SV01',
        machine: { hostId: 'H', machineName: 'dev3', systemType: 'S' },
      }),
    });
    expect(third.extensions?.['code']).toBe('INSUFFICIENT_ORDERED_QUANTITY');
  });

  it('refuses to take more than remains, and then takes nothing', async () => {
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 25 },
      { partNumber: 'SW-002-4.0-FT01', assignedQuantity: 1 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 },
    ]);
    const before = await summary(c.accountId);
    const error = await h.fail(c.token, GENERATE, {
      input: productionInput(c.siteId, {
        items: [
          { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 5, pooledQuantity: 25 },
          { partNumber: 'SW-002-4.0-FT01', assignedQuantity: 2 },
        ],
      }),
    });
    expect(error.extensions).toMatchObject({
      code: 'INSUFFICIENT_ORDERED_QUANTITY',
      partNumber: 'SW-002-4.0-FT01',
      requestedAssigned: 2,
      remainingAssigned: 1,
    });
    expect(await summary(c.accountId)).toEqual(before);
    const files = await h.gql<{ activationFiles: unknown[] }>(
      c.token,
      `{ activationFiles(accountId: "${c.accountId}") { id } }`,
    );
    expect(files.activationFiles).toEqual([]);
    const pooled = await h.fail(c.token, GENERATE, {
      input: productionInput(c.siteId, {
        items: [{ partNumber: 'SW-001-4.0-AL04', assignedQuantity: 0, pooledQuantity: 26 }],
      }),
    });
    expect(pooled.extensions).toMatchObject({
      code: 'INSUFFICIENT_ORDERED_QUANTITY',
      requestedPooled: 26,
      remainingPooled: 25,
    });
    const unordered = await h.fail(c.token, GENERATE, {
      input: productionInput(c.siteId, { serverItem: 'SW-003-4.0-SV03' }),
    });
    expect(unordered.extensions?.['code']).toBe('INSUFFICIENT_ORDERED_QUANTITY');
    expect(await summary(c.accountId)).toEqual(before);
  });

  it('lets only one of several concurrent generations have the last remaining quantity', async () => {
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 10 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 2 },
    ]);
    // The first file leaves 4 stations and one server; each contender asks for 4 and the server.
    await generate(
      c.token,
      productionInput(c.siteId, { items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 6 }] }),
    );
    const contenders = Array.from({ length: 4 }, (_v, i) =>
      h
        .gql<{ generateActivationFile: File }>(c.token, GENERATE, {
          input: productionInput(c.siteId, {
            machine: { hostId: `H-${i}`, machineName: `contender-${i}`, systemType: 'Server' },
            items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 4 }],
          }),
        })
        .then(
          () => 'generated',
          (error: Error) => error.message.split(':')[0],
        ),
    );
    const outcomes = (await Promise.all(contenders)).sort();
    expect(outcomes).toEqual([
      'INSUFFICIENT_ORDERED_QUANTITY',
      'INSUFFICIENT_ORDERED_QUANTITY',
      'INSUFFICIENT_ORDERED_QUANTITY',
      'generated',
    ]);
    const rows = await summary(c.accountId);
    expect(line(rows, 'SW-001-4.0-AL02')).toMatchObject({ ordered: 10, used: 10, remaining: 0 });
    expect(line(rows, 'SW-003-4.0-SV01')).toMatchObject({ ordered: 2, used: 2, remaining: 0 });
    const files = await h.gql<{ activationFiles: unknown[] }>(
      c.token,
      `{ activationFiles(accountId: "${c.accountId}") { id } }`,
    );
    expect(files.activationFiles).toHaveLength(2);
  });

  it('never lets many concurrent generations take more than was ordered, nor keep anything from a refused one', async () => {
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 12 },
    ]);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_v, i) =>
        h
          .gql(c.token, GENERATE, {
            input: productionInput(c.siteId, {
              machine: { hostId: `S-${i}`, machineName: `stress-${i}`, systemType: 'Server' },
              items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }],
            }),
          })
          .then(
            () => 'generated',
            (error: Error) => error.message.split(':')[0],
          ),
      ),
    );
    expect(outcomes.filter((o) => o === 'generated')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_ORDERED_QUANTITY')).toHaveLength(7);
    const rows = await summary(c.accountId);
    expect(line(rows, 'SW-001-4.0-AL02')).toMatchObject({ used: 5, remaining: 0 });
    // The refused generations took their server item first (part order) and gave it back with the rollback.
    expect(line(rows, 'SW-003-4.0-SV01')).toMatchObject({ used: 5, remaining: 7 });
  });

  it('announces a generated file (the activation_file.generated webhook comes from it)', async () => {
    const events = await h.events(Topics.ActivationFileGenerated);
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL03', assignedQuantity: 5 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 },
    ]);
    const file = await generate(
      c.token,
      productionInput(c.siteId, { items: [{ partNumber: 'SW-001-4.0-AL03', assignedQuantity: 5 }] }),
    );
    const event = await eventually(() =>
      events.find((e) => (e.payload as { fileId: string }).fileId === file.id),
    );
    expect(event.payload).toEqual({
      fileId: file.id,
      accountId: c.accountId,
      installSiteId: c.siteId,
      revision: 1,
      licenseType: 'PRODUCTION',
      expiresAt: expect.any(String),
      generatedAt: h.clock.now().toISOString(),
    });
  });

  it('announces a file coming within 30, 7 and 1 days of its expiry, each threshold once', async () => {
    const events = await h.events(Topics.LicenseExpiring);
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL03', assignedQuantity: 5 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 },
    ]);
    const file = await generate(
      c.token,
      productionInput(c.siteId, { items: [{ partNumber: 'SW-001-4.0-AL03', assignedQuantity: 5 }] }),
    );
    const expiresAt = Date.parse(file.expiresAt);
    const mine = () => events.filter((e) => (e.payload as { fileId: string }).fileId === file.id);
    // Other files of the suite may be announced too: count this one's announcements.
    const tickAt = async (daysBefore: number, expected: number) => {
      h.clock.set(new Date(expiresAt - daysBefore * DAY_MS).toISOString());
      await h.server.services.expiryWarnings.tick();
      await eventually(() => mine().length === expected);
      await new Promise((r) => setTimeout(r, 50));
      expect(mine()).toHaveLength(expected);
    };
    await tickAt(31, 0);
    await tickAt(29.5, 1);
    await tickAt(29, 1);
    await tickAt(6.5, 2);
    await tickAt(0.5, 3);
    await tickAt(0.25, 3);
    expect(mine().map((e) => (e.payload as { withinDays: number; daysLeft: number }).withinDays)).toEqual([
      30, 7, 1,
    ]);
    expect(mine()[0]?.payload).toEqual({
      fileId: file.id,
      accountId: c.accountId,
      installSiteId: c.siteId,
      revision: 1,
      expiresAt: new Date(expiresAt).toISOString(),
      withinDays: 30,
      daysLeft: 30,
    });
    h.clock.set('2021-03-01T09:00:00.000Z');
  });

  it('returns the quantities of a deactivated file and tells the other subgraphs', async () => {
    const events = await h.events(Topics.ActivationFileDeactivated);
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL03', assignedQuantity: 5, pooledQuantity: 25 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 },
    ]);
    const untouched = await summary(c.accountId);
    const file = await generate(
      c.token,
      productionInput(c.siteId, {
        items: [{ partNumber: 'SW-001-4.0-AL03', assignedQuantity: 5, pooledQuantity: 25 }],
      }),
    );
    expect(line(await summary(c.accountId), 'SW-001-4.0-AL03')).toMatchObject({ used: 30, remaining: 0 });
    h.clock.advance(3_600_000);
    const { deactivateActivationFile } = await h.gql<{
      deactivateActivationFile: File & { deactivatedAt: string; deactivationReason: string };
    }>(
      c.token,
      `mutation($id: ID!) { deactivateActivationFile(id: $id, reason: "Generated for the wrong machine") { active deactivatedAt deactivationReason } }`,
      { id: file.id },
    );
    expect(deactivateActivationFile).toEqual({
      active: false,
      deactivatedAt: h.clock.now().toISOString(),
      deactivationReason: 'Generated for the wrong machine',
    });
    expect(await summary(c.accountId)).toEqual(untouched);
    const event = await eventually(() =>
      events.find((e) => (e.payload as { fileId: string }).fileId === file.id),
    );
    expect(event.payload).toEqual({
      fileId: file.id,
      accountId: c.accountId,
      deactivatedAt: h.clock.now().toISOString(),
    });
    const again = await h.fail(c.token, DEACTIVATE, { id: file.id });
    expect(again.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await summary(c.accountId)).toEqual(untouched);
    // The returned quantities can be licensed again.
    await generate(
      c.token,
      productionInput(c.siteId, {
        items: [{ partNumber: 'SW-001-4.0-AL03', assignedQuantity: 5, pooledQuantity: 25 }],
      }),
    );
  });

  it('lists files with every filter of the Activation File Activity tab', async () => {
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 20 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 4 },
    ]);
    const { createInstallSite: branch } = await h.gql<{ createInstallSite: { id: string } }>(
      h.admin,
      CREATE_SITE,
      {
        input: { accountId: c.accountId, name: 'Branch' },
      },
    );
    const colleague = await h.token({
      sub: 'colleague',
      roles: ['CUSTOMER_ADMIN'],
      accountId: c.accountId,
      certified: true,
    });
    h.clock.set('2021-04-01T08:00:00.000Z');
    const a = await generate(
      c.token,
      productionInput(c.siteId, {
        product: 'PureConnect CIC',
        machine: { hostId: 'H1', machineName: 'CIC-A', systemType: 'S' },
      }),
    );
    h.clock.set('2021-04-02T08:00:00.000Z');
    const b = await generate(
      colleague,
      productionInput(branch.id, {
        product: 'Interaction Media Server',
        machine: { hostId: 'H2', machineName: 'media-b', systemType: 'S' },
      }),
    );
    h.clock.set('2021-04-03T08:00:00.000Z');
    const d = await generate(
      c.token,
      productionInput(c.siteId, {
        licenseType: 'DEVELOPMENT_NON_ORDERED_SMALL',
        machine: { hostId: 'H3', machineName: 'lab-d', systemType: 'S' },
      }),
    );
    h.clock.set('2021-04-04T08:00:00.000Z');
    const e = await generate(
      c.token,
      productionInput(branch.id, { machine: { hostId: 'H4', machineName: 'cic-e', systemType: 'S' } }),
    );
    await h.gql(c.token, DEACTIVATE, { id: e.id });

    const list = async (filter: Record<string, unknown> | null) =>
      (
        await h.gql<{ activationFiles: Array<{ id: string }> }>(
          c.token,
          `query($id: ID!, $filter: ActivationFileFilter) { activationFiles(accountId: $id, filter: $filter) { id } }`,
          { id: c.accountId, filter },
        )
      ).activationFiles.map((f) => f.id);
    expect(await list(null)).toEqual([e.id, d.id, b.id, a.id]);
    expect(await list({ installSiteId: branch.id })).toEqual([e.id, b.id]);
    expect(await list({ generatedFrom: '2021-04-02T08:00:00.000Z' })).toEqual([e.id, d.id, b.id]);
    expect(await list({ generatedTo: '2021-04-02T08:00:00.000Z' })).toEqual([b.id, a.id]);
    expect(
      await list({ generatedFrom: '2021-04-02T00:00:00.000Z', generatedTo: '2021-04-03T23:59:59.999Z' }),
    ).toEqual([d.id, b.id]);
    expect(await list({ active: 'YES' })).toEqual([d.id, b.id, a.id]);
    expect(await list({ active: 'NO' })).toEqual([e.id]);
    expect(await list({ active: 'ALL' })).toEqual([e.id, d.id, b.id, a.id]);
    expect(await list({ productLine: 'interaction media server' })).toEqual([b.id]);
    expect(await list({ licenseType: 'DEVELOPMENT_NON_ORDERED_SMALL' })).toEqual([d.id]);
    expect(await list({ generatedBy: 'colleague' })).toEqual([b.id]);
    expect(await list({ machineName: 'cic-a' })).toEqual([a.id]);
    expect(await list({ installSiteId: c.siteId, active: 'YES', licenseType: 'PRODUCTION' })).toEqual([a.id]);
    const backwards = await h.fail(
      c.token,
      `query($id: ID!) { activationFiles(accountId: $id, filter: { generatedFrom: "2021-05-01T00:00:00Z", generatedTo: "2021-04-01T00:00:00Z" }) { id } }`,
      {
        id: c.accountId,
      },
    );
    expect(backwards.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.generatedTo' });
  });

  it('downloads a file as <machine>.I3Lic any number of times, signed so that any alteration is caught', async () => {
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 },
    ]);
    const file = await generate(
      c.token,
      productionInput(c.siteId, {
        machine: { hostId: 'H1', machineName: 'acme cic/1', systemType: 'S' },
        items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5 }],
      }),
    );
    const download = `mutation($id: ID!) { downloadActivationFile(id: $id) { fileName contentType content downloadCount } }`;
    await h.gql(c.token, download, { id: file.id });
    const { downloadActivationFile } = await h.gql<{
      downloadActivationFile: { fileName: string; content: string; downloadCount: number };
    }>(c.token, download, { id: file.id });
    expect(downloadActivationFile).toMatchObject({
      fileName: 'acme_cic_1.I3Lic',
      downloadCount: 2,
      content: file.content,
    });

    const key = h.server.licensePublicKeyPem;
    const read = verifyLicenseFile(downloadActivationFile.content, key, h.clock);
    expect(read).toMatchObject({
      fileId: file.id,
      accountId: c.accountId,
      installSiteId: c.siteId,
      licenseType: 'PRODUCTION',
    });
    expect(read.keys).toEqual(file.keys);

    const content = downloadActivationFile.content;
    const tampered = [
      content.replace('I3_ACCESS_CLIENT 5', 'I3_ACCESS_CLIENT 9'),
      content.replace('Machine-Host-Id: H1', 'Machine-Host-Id: H2'),
      content.replace(
        /Signature: Ed25519 (.)/,
        (_m, c1: string) => `Signature: Ed25519 ${c1 === 'A' ? 'B' : 'A'}`,
      ),
      content.replace('\n', '\r\n'),
    ];
    for (const altered of tampered) {
      expect(altered).not.toBe(content);
      expect(verificationError(() => verifyLicenseFile(altered, key, h.clock)).extensions['code']).toBe(
        ErrorCode.INVALID_LICENSE_FILE,
      );
    }
    expect(
      verificationError(() => verifyLicenseFile(content, generateSigningKeyPair().publicKeyPem, h.clock))
        .extensions['code'],
    ).toBe(ErrorCode.INVALID_LICENSE_FILE);

    await h.gql(c.token, DEACTIVATE, { id: file.id });
    const gone = await h.fail(c.token, download, { id: file.id });
    expect(gone.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('lets only certified people generate, and certified partners any number of 30-day development files', async () => {
    const { createAccount: partner } = await h.gql<{ createAccount: { id: string } }>(
      h.admin,
      CREATE_ACCOUNT,
      {
        input: { name: 'Certified Partner', garn: 'GARN-CP', kind: 'PARTNER' },
      },
    );
    const c = await accountWithOrder(h, {
      name: 'Partner Customer',
      garn: 'GARN-PCUST',
      soldToAccountId: partner.id,
      lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 5 }],
    });
    const uncertified = await h.token({
      roles: ['CUSTOMER_ADMIN'],
      accountId: c.accountId,
      certified: false,
    });
    const refused = await h.fail(uncertified, GENERATE, {
      input: productionInput(c.siteId, { items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }] }),
    });
    expect(refused.extensions?.['code']).toBe('CERTIFICATION_REQUIRED');
    const employee = await h.token({
      sub: 'partner-engineer',
      roles: ['PARTNER'],
      accountId: partner.id,
      certified: true,
    });
    const before = await summary(c.accountId);
    const devFiles: File[] = [];
    for (const [i, size] of [
      ['1', 'LARGE'],
      ['2', 'LARGE'],
      ['3', 'SMALL'],
    ] as const) {
      devFiles.push(
        await generate(
          employee,
          productionInput(c.siteId, {
            licenseType: `DEVELOPMENT_NON_ORDERED_${size}`,
            serverItem: size === 'LARGE' ? 'SW-003-4.0-SV03' : 'SW-003-4.0-SV02',
            machine: { hostId: `LAB-${i}`, machineName: `partner-lab-${i}`, systemType: 'S' },
          }),
        ),
      );
    }
    expect(devFiles.map((f) => f.expiresAt)).toEqual(
      Array(3).fill(new Date(h.clock.now().getTime() + 30 * 86_400_000).toISOString()),
    );
    expect(keysOf(devFiles[0]!)['I3_ACCESS_CLIENT']).toBe(30);
    expect(await summary(c.accountId)).toEqual(before);
    const uncertifiedPartner = await h.token({ roles: ['PARTNER'], accountId: partner.id, certified: false });
    const partnerRefused = await h.fail(uncertifiedPartner, GENERATE, {
      input: productionInput(c.siteId, {
        licenseType: 'DEVELOPMENT_NON_ORDERED_SMALL',
        serverItem: 'SW-003-4.0-SV01',
      }),
    });
    expect(partnerRefused.extensions?.['code']).toBe('CERTIFICATION_REQUIRED');
    const supervisor = await h.token({ roles: ['SUPERVISOR'], accountId: c.accountId, certified: true });
    expect(
      (await h.fail(supervisor, GENERATE, { input: productionInput(c.siteId) })).extensions?.['code'],
    ).toBe('FORBIDDEN');
  });

  it('applies the host-ID rule with the virtual-cloud exception, carrying ramp date and grace period', async () => {
    const c = await customer(
      [
        { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 10 },
        { partNumber: 'SW-002-4.0-FT14', assignedQuantity: 3 },
        { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 2 },
        { partNumber: 'SW-003-4.0-SV04', assignedQuantity: 1 },
      ],
      { rampDate: '2021-06-01T00:00:00.000Z', gracePeriodDays: 7 },
      'SUBSCRIPTION',
    );
    const hostless = { hostId: null, machineName: 'cloud-cic', systemType: 'Virtual' };
    const vc = [{ partNumber: 'SW-002-4.0-FT14', assignedQuantity: 1 }];
    // Customers get subscription files only through a request.
    expect(
      (
        await h.fail(c.token, GENERATE, {
          input: productionInput(c.siteId, { productVersion: '2020 R2', machine: hostless, items: vc }),
        })
      ).extensions?.['code'],
    ).toBe('FORBIDDEN');
    const tooOld = await h.fail(h.admin, GENERATE, {
      input: productionInput(c.siteId, { productVersion: '2020 R1', machine: hostless, items: vc }),
    });
    // Virtual cloud needs 2020 R2 at least, host ID or not.
    expect(tooOld.extensions).toMatchObject({ code: 'PRODUCT_VERSION_TOO_OLD', field: 'productVersion' });
    const noCloud = await h.fail(h.admin, GENERATE, {
      input: productionInput(c.siteId, { productVersion: '2020 R2', machine: hostless }),
    });
    expect(noCloud.extensions?.['code']).toBe('HOST_ID_REQUIRED');

    // A Media Server file with virtual cloud needs the site's CIC server file to have it too.
    const media = productionInput(c.siteId, {
      productVersion: '2020 R2',
      serverItem: 'SW-003-4.0-SV04',
      machine: { ...hostless, machineName: 'cloud-media' },
      items: vc,
    });
    expect((await h.fail(h.admin, GENERATE, { input: media })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'serverItem',
    });

    const file = await generate(
      h.admin,
      productionInput(c.siteId, { productVersion: '2020 R2', machine: hostless, items: vc }),
    );
    expect(file).toMatchObject({
      licenseModel: 'SUBSCRIPTION',
      machine: { hostId: '' },
      virtualCloud: { rampDate: '2021-06-01T00:00:00.000Z', gracePeriodDays: 7 },
    });
    const read = verifyLicenseFile(file.content, h.server.licensePublicKeyPem, h.clock);
    expect(read.virtualCloud).toEqual({ rampDate: new Date('2021-06-01T00:00:00.000Z'), gracePeriodDays: 7 });
    expect(read.machine.hostId).toBe('');
    const mediaFile = await generate(h.admin, {
      ...media,
      rampDate: '2021-07-01T00:00:00.000Z',
      gracePeriodDays: 10,
    });
    expect(mediaFile.virtualCloud).toEqual({ rampDate: '2021-07-01T00:00:00.000Z', gracePeriodDays: 10 });
  });

  it('updates a file (switchover provided later, items reallocated) and upgrades it with the mirroring rule', async () => {
    const c = await customer(
      [
        { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 10 },
        { partNumber: 'SW-002-4.0-FT02', assignedQuantity: 1 },
        { partNumber: 'SW-002-4.0-FT03', assignedQuantity: 1 },
        { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 2 },
      ],
      { productVersion: '2020 R1', mirroring: true },
    );
    const file = await generate(
      c.token,
      productionInput(c.siteId, {
        items: [
          { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 4 },
          { partNumber: 'SW-002-4.0-FT02', assignedQuantity: 1 },
        ],
        provideSwitchoverLater: true,
      }),
    );
    expect(file.switchover).toBeNull();
    const update = `mutation($id: ID!, $input: UpdateActivationFileInput!) { updateActivationFile(id: $id, input: $input) { ${FILE_FIELDS} } }`;
    const { updateActivationFile: paired } = await h.gql<{
      updateActivationFile: File & { provideSwitchoverLater: boolean };
    }>(c.token, update, {
      id: file.id,
      input: { switchover: { hostId: 'H-B', machineName: 'cic-backup', serverItem: 'SW-003-4.0-SV01' } },
    });
    expect(paired).toMatchObject({
      id: file.id,
      provideSwitchoverLater: false,
      switchover: { hostId: 'H-B', machineName: 'cic-backup' },
    });
    expect(
      verifyLicenseFile(paired.content, h.server.licensePublicKeyPem, h.clock).switchover?.machineName,
    ).toBe('cic-backup');
    expect(line(await summary(c.accountId), 'SW-003-4.0-SV01')).toMatchObject({ used: 2, remaining: 0 });

    const tooMany = await h.fail(c.token, update, {
      id: file.id,
      input: {
        items: [
          { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 11 },
          { partNumber: 'SW-002-4.0-FT02', assignedQuantity: 1 },
        ],
      },
    });
    expect(tooMany.extensions?.['code']).toBe('INSUFFICIENT_ORDERED_QUANTITY');
    const { updateActivationFile: grown } = await h.gql<{ updateActivationFile: File }>(c.token, update, {
      id: file.id,
      input: {
        items: [
          { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 10 },
          { partNumber: 'SW-002-4.0-FT02', assignedQuantity: 1 },
        ],
      },
    });
    expect(keysOf(grown)['I3_ACCESS_CLIENT']).toBe(10);
    expect(line(await summary(c.accountId), 'SW-001-4.0-AL02')).toMatchObject({ used: 10, remaining: 0 });

    // Upgrading: the order licenses 2020 R1; the mirrored estate must move every upgradeable product together.
    const newer = await h.fail(c.token, update, { id: file.id, input: { productVersion: '2021 R1' } });
    expect(newer.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'productVersion' });
    const upgrade = `mutation($input: UpgradeSoftwareInput!) { upgradeSoftware(input: $input) {
      softwareUpgrades { mirroringAvailable withUpgradeOption { partNumber productVersion } withoutUpgradeOption { partNumber } } } }`;
    const partial = await h.fail(c.token, upgrade, {
      input: { accountId: c.accountId, productVersion: '2021 R1', partNumbers: ['SW-003-4.0-SV01'] },
    });
    expect(partial.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'partNumbers' });
    expect(partial.message).toContain('SW-002-4.0-FT03');
    const noOption = await h.fail(c.token, upgrade, {
      input: { accountId: c.accountId, productVersion: '2021 R1', partNumbers: ['SW-001-4.0-AL02'] },
    });
    expect(noOption.extensions).toMatchObject({ field: 'partNumbers.0' });
    const { upgradeSoftware } = await h.gql<{
      upgradeSoftware: {
        softwareUpgrades: {
          mirroringAvailable: boolean;
          withUpgradeOption: Array<{ partNumber: string; productVersion: string }>;
          withoutUpgradeOption: Array<{ partNumber: string }>;
        };
      };
    }>(c.token, upgrade, {
      input: {
        accountId: c.accountId,
        productVersion: '2021 R1',
        partNumbers: ['SW-003-4.0-SV01', 'SW-002-4.0-FT03'],
      },
    });
    expect(upgradeSoftware.softwareUpgrades).toEqual({
      mirroringAvailable: true,
      withUpgradeOption: [
        { partNumber: 'SW-002-4.0-FT03', productVersion: '2021 R1' },
        { partNumber: 'SW-003-4.0-SV01', productVersion: '2021 R1' },
      ],
      withoutUpgradeOption: [{ partNumber: 'SW-001-4.0-AL02' }, { partNumber: 'SW-002-4.0-FT02' }],
    });
    const { updateActivationFile: upgraded } = await h.gql<{
      updateActivationFile: File & { productVersion: string };
    }>(c.token, update, {
      id: file.id,
      input: { productVersion: '2021 R1' },
    });
    expect(upgraded).toMatchObject({
      productVersion: '2021 R1',
      expiresAt: file.expiresAt,
      generatedAt: file.generatedAt,
    });
    expect(verifyLicenseFile(upgraded.content, h.server.licensePublicKeyPem, h.clock).productVersion).toBe(
      '2021 R1',
    );
  });

  it('tells the caller whether the account may generate and download files, and why not', async () => {
    const c = await customer([
      { partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 },
      { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 },
    ]);
    const details = async (token: string) =>
      (
        await h.gql<{
          account: {
            softwareDetails: {
              mayGenerate: boolean;
              mayDownload: boolean;
              blockers: string[];
              maintenancePaid: boolean;
            };
          };
        }>(
          token,
          `{ account(id: "${c.accountId}") { softwareDetails { mayGenerate mayDownload blockers maintenancePaid } } }`,
        )
      ).account.softwareDetails;
    expect(await details(c.token)).toEqual({
      mayGenerate: true,
      mayDownload: false,
      blockers: ['NO_ACTIVE_FILE'],
      maintenancePaid: true,
    });
    const viewer = await h.token({ roles: ['SUPERVISOR'], accountId: c.accountId });
    expect((await details(viewer)).blockers).toEqual([
      'ROLE_MAY_NOT_GENERATE',
      'NOT_CERTIFIED',
      'NO_ACTIVE_FILE',
    ]);
    await generate(
      c.token,
      productionInput(c.siteId, { items: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }] }),
    );
    expect(await details(c.token)).toEqual({
      mayGenerate: false,
      mayDownload: true,
      blockers: ['NOTHING_REMAINING'],
      maintenancePaid: true,
    });
    const bare = await accountWithOrder(h, { name: 'No orders', garn: 'GARN-NOORD' });
    const bareToken = await h.token({
      roles: ['CUSTOMER_ADMIN'],
      accountId: bare.accountId,
      certified: true,
    });
    const { account } = await h.gql<{ account: { softwareDetails: { blockers: string[] } } }>(
      bareToken,
      `{ account(id: "${bare.accountId}") { softwareDetails { blockers } } }`,
    );
    expect(account.softwareDetails.blockers).toEqual(['NO_ORDERS', 'NO_ACTIVE_FILE']);
    await h.gql(h.admin, CREATE_ORDER, {
      input: {
        endUserAccountId: bare.accountId,
        licenseModel: 'SUBSCRIPTION',
        lines: [{ partNumber: 'SW-001-4.0-AL02', assignedQuantity: 1 }],
      },
    });
    expect((await details(c.token)).blockers).toEqual(['NOTHING_REMAINING']);
    const sub = await h.gql<{
      account: { softwareDetails: { blockers: string[]; maintenancePaid: boolean } };
    }>(bareToken, `{ account(id: "${bare.accountId}") { softwareDetails { blockers maintenancePaid } } }`);
    expect(sub.account.softwareDetails).toEqual({
      blockers: ['REQUEST_REQUIRED', 'NO_ACTIVE_FILE'],
      maintenancePaid: false,
    });
  });
});
