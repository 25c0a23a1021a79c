import { Writable } from 'node:stream';
import { pino } from 'pino';
import { type TestEnvironment, testEnvironment, tokenFor } from '@lic/testing';
import { startStack, type Stack } from '@lic/scripts';

/**
 * Issue 15, hole 7 on the real platform: "an invalid DateTime becomes INTERNAL_SERVER_ERROR with a
 * stack in the gateway's log (Feb 30 is silently accepted; years 0000–0099 become 1900–1999); a
 * subscription over HTTP, several operations without operationName, an unknown operationName get
 * HTTP 500; a 5,000-deep query returns 'Maximum call stack size exceeded'". The contract (docs/api.md):
 * a client mistake is always a 400-class answer with a stable code, never INTERNAL_SERVER_ERROR.
 */
describe('client mistakes through the gateway (real platform)', () => {
  let env: TestEnvironment;
  let stack: Stack;
  let admin: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    env = testEnvironment();
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    stack = await startStack(env.config, { logger });
    admin = await tokenFor(stack.config, { roles: ['LICENSING_ADMIN'], certified: true });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await env?.cleanup();
  });

  const post = async (body: string | Record<string, unknown>) => {
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      text,
      body: JSON.parse(text) as {
        data?: Record<string, unknown> | null;
        errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
      },
    };
  };
  const errorLogs = () => logLines.filter((line) => /"level":50/.test(line) || /"stack"/.test(line));

  const periodWithVariable = 'query Period($at: DateTime) { billingPeriod(asOf: $at) { start end } }';
  const periodWithLiteral = (at: string) => `{ billingPeriod(asOf: "${at}") { start end } }`;

  test.each([
    ['30 February (a variable)', { query: periodWithVariable, variables: { at: '2021-02-30T00:00:00Z' } }],
    ['month 13 (a variable)', { query: periodWithVariable, variables: { at: '2021-13-01T00:00:00Z' } }],
    ['month 13 (a literal)', { query: periodWithLiteral('2021-13-01T00:00:00Z') }],
    ['30 February (a literal)', { query: periodWithLiteral('2021-02-30T10:00:00Z') }],
    ['24:00', { query: periodWithVariable, variables: { at: '2021-01-01T24:00:00Z' } }],
    ['a leap second', { query: periodWithVariable, variables: { at: '2021-01-01T23:59:60Z' } }],
    ['year 0050 (read as 1950 before)', { query: periodWithLiteral('0050-01-10T00:00:00Z') }],
    ['year 0000', { query: periodWithVariable, variables: { at: '0000-01-10T00:00:00Z' } }],
    ['no zone', { query: periodWithVariable, variables: { at: '2021-01-10T00:00:00' } }],
    [
      'microseconds (would not round-trip)',
      { query: periodWithVariable, variables: { at: '2021-01-10T00:00:00.000001Z' } },
    ],
    ['a number', { query: periodWithVariable, variables: { at: 12 } }],
  ])('an invalid DateTime, %s, is BAD_USER_INPUT with 400 at the gateway', async (_label, body) => {
    const logsBefore = errorLogs().length;
    const result = await post(body);
    expect(result.status).toBe(400);
    // Refused by the gateway's own check (a subgraph's refusal would come back as a failed fetch).
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        extensions: {
          code: 'BAD_USER_INPUT',
          reason: expect.stringMatching(/^(INVALID_VARIABLES|GRAPHQL_VALIDATION_FAILED)$/),
        },
      }),
    ]);
    expect(result.text).not.toMatch(/INTERNAL_SERVER_ERROR|stack/i);
    expect(errorLogs().length).toBe(logsBefore);
  });

  test('a valid DateTime round-trips exactly, offsets and milliseconds included', async () => {
    const result = await post({
      query:
        'query($at: DateTime) { billingPeriod(asOf: $at) { start } a: billingPeriod(asOf: "2024-02-29T23:30:00.123+01:00") { start } }',
      variables: { at: '2024-02-29T12:00:00.5Z' },
    });
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
  });

  test.each([
    [
      'a subscription over HTTP',
      'BAD_REQUEST',
      'SUBSCRIPTION_OVER_HTTP',
      { query: 'subscription { enforcementStageChanged { at } }' },
    ],
    [
      'several operations without operationName',
      'BAD_REQUEST',
      'OPERATION_NAME_REQUIRED',
      { query: 'query A { accounts { id } } query B { accounts { name } }' },
    ],
    [
      'an unknown operationName',
      'BAD_REQUEST',
      'UNKNOWN_OPERATION_NAME',
      { query: 'query A { accounts { id } }', operationName: 'Z' },
    ],
    [
      'a 5,000-deep query',
      'QUERY_TOO_COMPLEX',
      undefined,
      { query: `{ accounts ${'{ id '.repeat(5000)}${'}'.repeat(5000)} }` },
    ],
    [
      'a 5,000-deep argument value',
      'QUERY_TOO_COMPLEX',
      undefined,
      { query: `{ account(id: ${'['.repeat(5000)}"x"${']'.repeat(5000)}) { id } }` },
    ],
  ])('%s is a 400 with %s, not a 500, and logs no error', async (_label, code, reason, body) => {
    const logsBefore = errorLogs().length;
    const result = await post(body);
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        extensions: reason ? { code, reason } : expect.objectContaining({ code }),
      }),
    ]);
    expect(result.text).not.toMatch(/Maximum call stack|INTERNAL_SERVER_ERROR/);
    expect(errorLogs().length).toBe(logsBefore);
  });

  test('the operation named among several runs', async () => {
    const result = await post({
      query: 'query A { accounts { id } } query B { accounts { name } }',
      operationName: 'B',
    });
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
  });
});
