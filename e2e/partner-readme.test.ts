import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, graphqlData, graphqlRequest, testEnvironment, tokenFor } from '@lic/testing';
import { ROOT, freePort, startProcess, type RunningProcess } from './helpers.js';

/**
 * A partner's integration done from the README alone, on the embedded platform: an API key from
 * an administrator with the README's typed client (examples/create-api-key.ts, built; run twice,
 * one key), a webhook endpoint created with the key (retried with the same
 * Idempotency-Key: one endpoint), the README's receiver (examples/webhook-receiver.ts, built)
 * getting a verified test event and refusing a forged one, and the audit log showing what the key
 * did.
 */
const execFileAsync = promisify(execFile);

describe("a partner's integration from the README (API key, webhooks, safe retries, audit log)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lic-e2e-partner-'));
  let platform: RunningProcess | undefined;
  let receiver: RunningProcess | undefined;
  let url: string;
  let accountId: string;
  let key: string;

  beforeAll(async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    platform = await startProcess(
      ['scripts/dist/start.js'],
      {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        WEBHOOK_ALLOW_LOOPBACK: 'true',
        WEBHOOK_POLL_MS: '100',
        GATEWAY_PORT: String(ports[0]),
        ACCOUNTS_PORT: String(ports[1]),
        ALLOCATION_PORT: String(ports[2]),
        BILLING_PORT: String(ports[3]),
        ENFORCEMENT_PORT: String(ports[4]),
      },
      /Development token[^\n]*\n\S+\n/,
      120_000,
    );
    url = /GraphQL \(HTTP and graphql-ws\): (\S+)/.exec(platform.output())![1]!;
    const admin = await tokenFor(testEnvironment().config, { roles: ['LICENSING_ADMIN'], certified: true });
    const { accounts } = await graphqlData<{ accounts: Array<{ id: string; name: string }> }>(
      url,
      '{ accounts { id name } }',
      {},
      admin,
    );
    accountId = accounts.find((a) => a.name === 'Acme Contact Centre')!.id;
    // The README's typed client, run as a partner runs it; run twice, it answers the same key.
    const createKey = () =>
      execFileAsync(process.execPath, [join(ROOT, 'examples/dist/create-api-key.js')], {
        env: {
          ...process.env,
          LIC_URL: url,
          LIC_TOKEN: admin,
          LIC_ACCOUNT: accountId,
          LIC_KEY_NAME: 'nightly sync',
        },
      });
    const first = await createKey();
    const again = await createKey();
    expect(again.stdout).toBe(first.stdout);
    key = first.stdout.trim().split('\n')[1]!;
  }, 180_000);

  afterAll(async () => {
    await receiver?.stop();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(query: string, variables: Record<string, unknown>, idempotencyKey: string) {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  }

  it('creates an endpoint once however often it is retried, and the receiver verifies what it gets', async () => {
    expect(key).toMatch(/^lic_/);
    const port = await freePort();
    const create = `mutation($i: CreateWebhookEndpointInput!) {
      createWebhookEndpoint(input: $i) { secret endpoint { id url } } }`;
    const input = { i: { accountId, url: `http://127.0.0.1:${port}/`, eventTypes: ['STAGE_CHANGED'] } };
    const first = await post(create, input, 'hook-ops-1');
    const again = await post(create, input, 'hook-ops-1');
    expect(first.errors).toBeUndefined();
    expect(again).toEqual(first);
    const created = first.data!['createWebhookEndpoint'] as { secret: string; endpoint: { id: string } };
    const { webhookEndpoints } = await graphqlData<{ webhookEndpoints: Array<{ id: string }> }>(
      url,
      'query($a: ID!) { webhookEndpoints(accountId: $a) { id } }',
      { a: accountId },
      key,
    );
    expect(webhookEndpoints.map((e) => e.id)).toEqual([created.endpoint.id]);

    receiver = await startProcess(
      ['examples/dist/webhook-receiver.js'],
      { LIC_WEBHOOK_SECRET: created.secret, PORT: String(port) },
      /listening on/,
    );
    // A forged delivery (signed with another secret) is refused and never handled.
    const forged = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      },
      body: JSON.stringify({
        type: 'enforcement.stage_changed',
        timestamp: new Date().toISOString(),
        data: {},
      }),
    });
    expect(forged.status).toBe(401);

    const sent = await graphqlRequest(
      url,
      'mutation($id: ID!) { sendWebhookTestEvent(id: $id) { id } }',
      { id: created.endpoint.id },
      key,
    );
    expect(sent.errors).toBeUndefined();
    const deliveryLog = async () =>
      JSON.stringify(
        await graphqlRequest(
          url,
          'query($id: ID!, $a: ID!) { webhookEndpoints(accountId: $a) { id url } webhookDeliveries(endpointId: $id, first: 10) { edges { node { id status eventType attempts { attemptedAt statusCode latencyMs error responseExcerpt } } } } }',
          { id: created.endpoint.id, a: accountId },
          key,
        ),
      );
    await eventually(() => / msg_\S+ webhook\.test /.test(receiver!.output()), 20_000).catch(
      async (error: unknown) => {
        throw new Error(
          `${String(error)}\nDelivery log: ${await deliveryLog()}\nPlatform: ${platform!.output().slice(-3000)}`,
        );
      },
    );
    expect(receiver.output()).not.toContain('msg_forged');
    const { webhookDeliveries } = await graphqlData<{
      webhookDeliveries: {
        edges: Array<{ node: { status: string; attempts: Array<{ statusCode: number }> } }>;
      };
    }>(
      url,
      'query($id: ID!) { webhookDeliveries(endpointId: $id, first: 10) { edges { node { status attempts { statusCode } } } } }',
      { id: created.endpoint.id },
      key,
    );
    expect(webhookDeliveries.edges[0]!.node.status).toBe('DELIVERED');
    expect(webhookDeliveries.edges[0]!.node.attempts[0]!.statusCode).toBe(204);
  }, 60_000);

  it('shows in the audit log what the key did, once', async () => {
    const { auditLog } = await graphqlData<{
      auditLog: { edges: Array<{ node: { field: string; credentialKind: string; outcome: string } }> };
    }>(
      url,
      `query($a: ID!) { auditLog(accountId: $a, filter: { operation: "createWebhookEndpoint" }, first: 50) {
        edges { node { field credentialKind outcome } } } }`,
      { a: accountId },
      key,
    );
    expect(auditLog.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ field: 'createWebhookEndpoint', credentialKind: 'api-key' }),
    ]);
  });

  it.each([
    ['### Webhooks: be told when something happens', 'examples/webhook-receiver.ts'],
    ["### For a partner's integration: an API key, and safe retries", 'examples/create-api-key.ts'],
  ])('shows the code under "%s" in the README as it is in %s', (heading, file) => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf(heading));
    const shown = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    const source = readFileSync(join(ROOT, file), 'utf8');
    expect(source).toContain(shown.trim());
  });
});
