import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { seedDemoData, startStack, type Stack } from '@lic/scripts';
import { type TestEnvironment, graphqlData, testEnvironment, tokenFor } from '@lic/testing';

const ISSUE = `mutation($id: ID!) { issueServerCredential(serverId: $id) { token } }`;
const STATISTICS = `subscription($id: ID!) { licenseStatisticsChanged(serverId: $id) { server { id name } at } }`;

/**
 * Issue 15, hole 5, end to end in embedded mode: a CIC server watching its statistics through the
 * gateway with its machine credential; the customer issues a new credential; the old socket closes
 * within seconds (allocation announces the revocation, the gateway closes the socket).
 */
describe('revoking a machine credential through the gateway (embedded)', () => {
  let env: TestEnvironment;
  let stack: Stack;

  beforeAll(async () => {
    env = testEnvironment();
    stack = await startStack(env.config);
  });
  afterAll(async () => {
    await stack.close();
    await env.cleanup();
  });

  it("closes the old credential's subscription socket with 4401 within seconds", async () => {
    const admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'], certified: true });
    const seeded = await seedDemoData(stack.gatewayUrl, admin);
    const serverId = seeded.servers[0]!.id;
    const issue = async () =>
      (
        await graphqlData<{ issueServerCredential: { token: string } }>(
          stack.gatewayUrl,
          ISSUE,
          { id: serverId },
          admin,
        )
      ).issueServerCredential.token;
    const first = await issue();

    let received = 0;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      const client = createClient({
        url: stack.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${first}` },
        retryAttempts: 0,
        on: {
          closed: (event) => {
            const { code, reason } = event as { code: number; reason: string | Buffer };
            resolve({ code, reason: String(reason) });
          },
        },
      });
      client.subscribe(
        { query: STATISTICS, variables: { id: serverId } },
        { next: () => (received += 1), error: () => undefined, complete: () => undefined },
      );
    });
    const deadline = Date.now() + 10_000;
    while (received === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(received).toBeGreaterThan(0);

    const revokedAt = Date.now();
    await issue();
    const result = await Promise.race([
      closed,
      new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 5000).unref()),
    ]);
    expect(result).toEqual({ code: 4401, reason: 'This credential was revoked' });
    expect(Date.now() - revokedAt).toBeLessThan(5000);
  });
});
