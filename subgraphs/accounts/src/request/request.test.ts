import { describeEachDatabase } from '@lic/testing';
import { type Harness, accountWithOrder, productionInput, startAccounts } from '../../test/harness.js';

const SUBMIT = `mutation($input: ActivationFileRequestInput!) {
  submitActivationFileRequest(input: $input) { id number status requestType category fileType urgent accountId account { name } }
}`;
const REQUEST = `query($id: ID!) { activationFileRequest(id: $id) {
  number status closedAt activationFile { id licenseType keys { key quantity } }
  messages { kind author body } attachments { fileName contentType sizeBytes content }
} }`;

function submission(garn: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    endUserAccount: 'Request Customer',
    soldToAccount: 'Request Customer',
    garn,
    requestType: 'QUESTION',
    subject: 'Which file do I need?',
    description: 'We add a second site next month.',
    corporateEmail: 'ada@customer.example',
    confirmCorporateEmail: 'ada@customer.example',
    workPhone: '+44 20 7946 0000',
    employer: 'Request Customer Ltd',
    ...overrides,
  };
}

const FILE_REQUEST = {
  requestType: 'ACTIVATION_FILE_REQUEST',
  category: 'PAY_PER_USE_HOSTED',
  fileType: 'SUBSCRIPTION',
  urgent: true,
  deploymentType: 'PRODUCTION',
  soPoNumber: 'PO-2021-7',
};

describeEachDatabase('activation file requests', (database) => {
  let h: Harness;
  let customer: { accountId: string; siteId: string; token: string };
  let outsider: string;
  beforeAll(async () => {
    h = await startAccounts(database);
    h.clock.set('2021-03-01T09:00:00.000Z');
    const made = await accountWithOrder(h, {
      name: 'Request Customer',
      garn: 'GARN-REQ',
      licenseModel: 'SUBSCRIPTION',
      lines: [
        { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 10, pooledQuantity: 10 },
        { partNumber: 'SW-002-4.0-FT14', assignedQuantity: 1 },
        { partNumber: 'SW-003-4.0-SV01', assignedQuantity: 1 },
      ],
    });
    customer = {
      ...made,
      token: await h.token({
        sub: 'ada',
        roles: ['CUSTOMER_ADMIN'],
        accountId: made.accountId,
        certified: true,
      }),
    };
    const other = await accountWithOrder(h, { name: 'Other', garn: 'GARN-OTHER-REQ' });
    outsider = await h.token({ sub: 'eve', roles: ['CUSTOMER_ADMIN'], accountId: other.accountId });
  });
  afterAll(() => h.close());

  it('numbers each request on submit and links it to the GARN’s account', async () => {
    const first = await h.gql<{
      submitActivationFileRequest: {
        number: string;
        status: string;
        accountId: string;
        account: { name: string };
      };
    }>(customer.token, SUBMIT, { input: submission('garn-req') });
    const second = await h.gql<{
      submitActivationFileRequest: { number: string; category: string; urgent: boolean };
    }>(customer.token, SUBMIT, {
      input: submission('GARN-REQ', FILE_REQUEST),
    });
    expect(first.submitActivationFileRequest).toMatchObject({
      status: 'SUBMITTED',
      accountId: customer.accountId,
      account: { name: 'Request Customer' },
    });
    const n = Number(first.submitActivationFileRequest.number.slice(4));
    expect(first.submitActivationFileRequest.number).toMatch(/^AFR-\d{6}$/);
    expect(second.submitActivationFileRequest).toMatchObject({
      number: `AFR-${String(n + 1).padStart(6, '0')}`,
      category: 'PAY_PER_USE_HOSTED',
      urgent: true,
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a free-mail address',
      { corporateEmail: 'ada@gmail.com', confirmCorporateEmail: 'ada@gmail.com' },
      'corporateEmail',
    ],
    [
      'a confirmation that does not match',
      { confirmCorporateEmail: 'ada@other.example' },
      'confirmCorporateEmail',
    ],
    ['a category on a question', { category: 'GENESYS' }, 'category'],
    ['an urgent question', { urgent: true }, 'urgent'],
    ['a file request without category', { ...FILE_REQUEST, category: null }, 'category'],
    ['a file request without file type', { ...FILE_REQUEST, fileType: null }, 'fileType'],
    [
      'a third-party request without its file type',
      { ...FILE_REQUEST, category: 'THIRD_PARTY', soPoNumber: null },
      'thirdPartyFileType',
    ],
    [
      'a Genesys request without host ID',
      { ...FILE_REQUEST, category: 'GENESYS', implementationType: 'NEW_DEPLOYMENT' },
      'primaryHostId',
    ],
    [
      'a date needed in the past',
      { dateNeeded: '2021-02-01T00:00:00.000Z', dateReason: 'late' },
      'dateNeeded',
    ],
    ['a missing subject', { subject: ' ' }, 'subject'],
    ['a missing phone', { workPhone: '' }, 'workPhone'],
    ['an unknown GARN', { garn: 'GARN-NOPE' }, 'garn'],
    ['another tenant’s GARN', { garn: 'GARN-OTHER-REQ' }, 'garn'],
  ])('refuses %s with BAD_USER_INPUT on that field, recording nothing', async (_name, change, field) => {
    const before = await h.gql<{ activationFileRequests: unknown[] }>(
      h.admin,
      '{ activationFileRequests { id } }',
    );
    const error = await h.fail(customer.token, SUBMIT, { input: submission('GARN-REQ', change) });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(error.extensions?.['problems']).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
    const after = await h.gql<{ activationFileRequests: unknown[] }>(
      h.admin,
      '{ activationFileRequests { id } }',
    );
    expect(after.activationFileRequests).toHaveLength(before.activationFileRequests.length);
  });

  it('reports every invalid field of a form at once', async () => {
    const error = await h.fail(customer.token, SUBMIT, {
      input: submission('GARN-REQ', {
        firstName: '',
        corporateEmail: 'x@hotmail.com',
        confirmCorporateEmail: 'x@hotmail.com',
        employer: '',
      }),
    });
    expect((error.extensions?.['problems'] as Array<{ field: string }>).map((p) => p.field)).toEqual([
      'firstName',
      'corporateEmail',
      'employer',
    ]);
  });

  it('runs the licensing team’s workflow: ask for information, reply, answer; attachments while open', async () => {
    const { submitActivationFileRequest: request } = await h.gql<{
      submitActivationFileRequest: { id: string };
    }>(customer.token, SUBMIT, {
      input: submission('GARN-REQ'),
    });
    const attach = `mutation($input: ActivationFileRequestAttachmentInput!) { addActivationFileRequestAttachment(input: $input) { fileName sizeBytes } }`;
    const text = Buffer.from('Host ID: 00-15-5D-01-02-03\n').toString('base64');
    expect(
      (
        await h.gql<{ addActivationFileRequestAttachment: unknown }>(customer.token, attach, {
          input: {
            requestId: request.id,
            fileName: 'hostid.txt',
            contentType: 'text/plain',
            contentBase64: text,
          },
        })
      ).addActivationFileRequestAttachment,
    ).toEqual({ fileName: 'hostid.txt', sizeBytes: 27 });
    const bad = await h.fail(customer.token, attach, {
      input: { requestId: request.id, fileName: 'x.bin', contentBase64: 'not base64!' },
    });
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contentBase64' });
    // Issue 15, hole 8: "unknown media types ... are stored"; file names share the text validation.
    for (const [input, field] of [
      [{ fileName: 'x.bin', contentType: 'made/up' }, 'contentType'],
      [{ fileName: 'x.bin', contentType: 'x-evil/bin' }, 'contentType'],
      [{ fileName: 'invoice\u202Efdp.exe' }, 'fileName'],
      [{ fileName: 'host\u0000id.txt' }, 'fileName'],
      [{ fileName: '..\\..\\boot.ini' }, 'fileName'],
    ] as const) {
      const refused = await h.fail(customer.token, attach, {
        input: { requestId: request.id, contentBase64: text, ...input },
      });
      expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const big = Buffer.alloc(600 * 1024).toString('base64');
    expect(
      (
        await h.fail(customer.token, attach, {
          input: { requestId: request.id, fileName: 'big.bin', contentBase64: big },
        })
      ).extensions?.['field'],
    ).toBe('contentBase64');

    const ask = `mutation($id: ID!) { askActivationFileRequestInformation(id: $id, message: "Which version?") { status } }`;
    expect((await h.fail(customer.token, ask, { id: request.id })).extensions?.['code']).toBe('FORBIDDEN');
    expect(
      (await h.gql<{ askActivationFileRequestInformation: unknown }>(h.admin, ask, { id: request.id }))
        .askActivationFileRequestInformation,
    ).toEqual({
      status: 'INFORMATION_REQUESTED',
    });
    const reply = `mutation($id: ID!) { replyToActivationFileRequest(id: $id, message: "2020 R2") { status } }`;
    expect((await h.fail(outsider, reply, { id: request.id })).extensions?.['code']).toBe('FORBIDDEN');
    expect(
      (await h.gql<{ replyToActivationFileRequest: unknown }>(customer.token, reply, { id: request.id }))
        .replyToActivationFileRequest,
    ).toEqual({
      status: 'SUBMITTED',
    });
    expect((await h.fail(customer.token, reply, { id: request.id })).extensions?.['code']).toBe(
      'BAD_USER_INPUT',
    );
    const answer = `mutation($id: ID!) { answerActivationFileRequest(id: $id, answer: "A 2020 R2 production file.") { status closedAt } }`;
    expect(
      (await h.gql<{ answerActivationFileRequest: unknown }>(h.admin, answer, { id: request.id }))
        .answerActivationFileRequest,
    ).toEqual({
      status: 'ANSWERED',
      closedAt: h.clock.now().toISOString(),
    });
    const closed = await h.fail(customer.token, attach, {
      input: { requestId: request.id, fileName: 'late.txt', contentBase64: text },
    });
    expect(closed.extensions?.['code']).toBe('BAD_USER_INPUT');
    const { activationFileRequest } = await h.gql<{
      activationFileRequest: { messages: unknown[]; attachments: Array<{ content: string }> };
    }>(customer.token, REQUEST, { id: request.id });
    expect(activationFileRequest.messages).toEqual([
      { kind: 'INFORMATION_REQUEST', author: 'licensing-team', body: 'Which version?' },
      { kind: 'REPLY', author: 'ada', body: '2020 R2' },
      { kind: 'ANSWER', author: 'licensing-team', body: 'A 2020 R2 production file.' },
    ]);
    expect(Buffer.from(activationFileRequest.attachments[0]!.content, 'base64').toString()).toContain(
      '00-15-5D',
    );
    expect((await h.fail(outsider, REQUEST, { id: request.id })).extensions?.['code']).toBe('FORBIDDEN');
  });

  it('is fulfilled by the licensing team with a generated subscription file', async () => {
    const { submitActivationFileRequest: request } = await h.gql<{
      submitActivationFileRequest: { id: string };
    }>(customer.token, SUBMIT, {
      input: submission('GARN-REQ', FILE_REQUEST),
    });
    const fulfil = `mutation($id: ID!, $file: GenerateActivationFileInput!) { fulfillActivationFileRequest(id: $id, file: $file) { status activationFile { id } } }`;
    const file = productionInput(customer.siteId, {
      productVersion: '2020 R2',
      machine: { hostId: null, machineName: 'cloud-cic', systemType: 'Virtual' },
      items: [
        { partNumber: 'SW-001-4.0-AL04', assignedQuantity: 10, pooledQuantity: 10 },
        { partNumber: 'SW-002-4.0-FT14', assignedQuantity: 1 },
        { partNumber: 'SW-007-4.0-BN01', assignedQuantity: 2 },
      ],
    });
    expect((await h.fail(customer.token, fulfil, { id: request.id, file })).extensions?.['code']).toBe(
      'FORBIDDEN',
    );
    // The bundle was never ordered: it cannot be taken, and the request stays open.
    const unordered = await h.fail(h.admin, fulfil, { id: request.id, file });
    expect(unordered.extensions?.['code']).toBe('INSUFFICIENT_ORDERED_QUANTITY');
    await h.gql(
      h.admin,
      `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }`,
      {
        input: {
          endUserAccountId: customer.accountId,
          licenseModel: 'SUBSCRIPTION',
          lines: [{ partNumber: 'SW-007-4.0-BN01', assignedQuantity: 2 }],
        },
      },
    );
    const { fulfillActivationFileRequest } = await h.gql<{
      fulfillActivationFileRequest: { status: string; activationFile: { id: string } };
    }>(h.admin, fulfil, { id: request.id, file });
    expect(fulfillActivationFileRequest.status).toBe('FULFILLED');
    const { activationFileRequest } = await h.gql<{
      activationFileRequest: {
        activationFile: { id: string; keys: Array<{ key: string; quantity: number }> };
        messages: Array<{ kind: string }>;
      };
    }>(customer.token, REQUEST, { id: request.id });
    expect(activationFileRequest.activationFile.id).toBe(fulfillActivationFileRequest.activationFile.id);
    expect(activationFileRequest.activationFile.keys).toEqual(
      expect.arrayContaining([{ key: 'I3_ACCESS_CLIENT', quantity: 12 }]),
    );
    expect(activationFileRequest.messages.map((m) => m.kind)).toEqual(['FULFILMENT']);
    expect((await h.fail(h.admin, fulfil, { id: request.id, file })).extensions?.['code']).toBe(
      'BAD_USER_INPUT',
    );

    const { submitActivationFileRequest: question } = await h.gql<{
      submitActivationFileRequest: { id: string };
    }>(customer.token, SUBMIT, {
      input: submission('GARN-REQ'),
    });
    expect((await h.fail(h.admin, fulfil, { id: question.id, file })).message).toContain('is a question');
  });

  it('lists requests by tenant and status', async () => {
    const list = async (token: string, args = '') =>
      (
        await h.gql<{ activationFileRequests: Array<{ status: string; accountId: string }> }>(
          token,
          `{ activationFileRequests${args} { status accountId } }`,
        )
      ).activationFileRequests;
    const mine = await list(customer.token);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.accountId === customer.accountId)).toBe(true);
    expect(await list(outsider)).toEqual([]);
    expect((await list(h.admin, '(status: FULFILLED)')).map((r) => r.status)).toEqual(['FULFILLED']);
    expect(
      (await h.fail(outsider, `{ activationFileRequests(accountId: "${customer.accountId}") { id } }`))
        .extensions?.['code'],
    ).toBe('FORBIDDEN');
  });
});
