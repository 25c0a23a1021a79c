import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { describeEachDatabase, testSigner } from '@lic/testing';
import { Harness, STATISTICS_SUBSCRIPTION } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const ISSUE = `mutation($id: ID!) { issueServerCredential(serverId: $id) { token } }`;

/** A machine's subscription socket, remembering how it was closed. */
function machineSocket(url: string, token: string, serverId: string) {
  let closed: (value: { code: number; reason: string }) => void = () => undefined;
  const closing = new Promise<{ code: number; reason: string }>((resolve) => {
    closed = resolve;
  });
  let received = 0;
  const wsUrl = url.replace(/^http/, 'ws');
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    // Signed as the gateway signs its upstream sockets: the subgraph answers only the gateway.
    connectionParams: () => testSigner().connectionParams(wsUrl, `Bearer ${token}`),
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string | Buffer };
        closed({ code, reason: String(reason) });
      },
    },
  });
  client.subscribe(
    { query: STATISTICS_SUBSCRIPTION, variables: { id: serverId } },
    { next: () => (received += 1), error: () => undefined, complete: () => undefined },
  );
  return {
    closing,
    received: () => received,
    dispose: () => client.dispose(),
  };
}

async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Issue 15, hole 5: "Revoking a server credential leaves its open subscriptions running".
 * Issuing a new credential revokes the previous one, and its open sockets close within seconds.
 */
describeEachDatabase('revoking a machine credential closes its open subscriptions', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  it("closes the old credential's socket with 4401 and leaves the new credential's running", async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const first = await h.gql<{ issueServerCredential: { token: string } }>(ISSUE, { id: server.id });
    const old = machineSocket(h.url, first.issueServerCredential.token, server.id);
    try {
      await until(() => old.received() >= 1);
      const second = await h.gql<{ issueServerCredential: { token: string } }>(ISSUE, { id: server.id });
      expect(await within(old.closing, 3000)).toEqual({ code: 4401, reason: 'This credential was revoked' });
      const renewed = machineSocket(h.url, second.issueServerCredential.token, server.id);
      try {
        await until(() => renewed.received() >= 1);
        expect(await within(renewed.closing, 300)).toBe('timeout');
      } finally {
        await renewed.dispose();
      }
    } finally {
      await old.dispose();
    }
  });
});

describe('revocation across allocation replicas [mariadb + redis]', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database: 'mariadb', redis: true, instances: 2 });
  });
  afterAll(() => h.close());

  it('a credential replaced on one replica closes its socket on the other', async () => {
    const [a, b] = h.instances;
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const first = await h.gql<{ issueServerCredential: { token: string } }>(
      ISSUE,
      { id: server.id },
      h.admin,
      a!.url,
    );
    const old = machineSocket(b!.url, first.issueServerCredential.token, server.id);
    try {
      await until(() => old.received() >= 1);
      await h.gql(ISSUE, { id: server.id }, h.admin, a!.url);
      expect(await within(old.closing, 3000)).toEqual({ code: 4401, reason: 'This credential was revoked' });
    } finally {
      await old.dispose();
    }
  });
});
