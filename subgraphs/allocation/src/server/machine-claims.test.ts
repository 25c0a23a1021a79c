import { SignJWT } from 'jose';
import { describeEachDatabase } from '@lic/testing';
import { Harness } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const SERVER = `query($id: ID!) { server(id: $id) { id name } }`;
const HEARTBEAT = `mutation($id: ID!) { heartbeat(serverId: $id) }`;
const ISSUE = `mutation($id: ID!) { issueServerCredential(serverId: $id) { token issuedAt expiresAt } }`;

/**
 * Issue 15, hole 4: "The serverId claim is honoured for every role and for mixed-role tokens,
 * opening another tenant's server, usage files and machine operations." The rule (docs/api.md):
 * serverId counts for the SERVER role only, and a token mixing SERVER with another role is refused.
 */
describeEachDatabase('machine claims: serverId for the SERVER role only', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  it("a supervisor's token naming another tenant's server in serverId does not open that server", async () => {
    const mine = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const foreign = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const supervisor = await h.token(['SUPERVISOR'], { accountId: mine.accountId, serverId: foreign.id });
    const customerAdmin = await h.token(['CUSTOMER_ADMIN'], {
      accountId: mine.accountId,
      serverId: foreign.id,
    });
    for (const token of [supervisor, customerAdmin]) {
      expect(await h.raw(SERVER, { id: foreign.id }, token)).toMatchObject({ data: { server: null } });
      expect((await h.code(HEARTBEAT, { id: foreign.id }, token)).code).toBe('FORBIDDEN');
    }
    // Their own server stays theirs.
    expect(await h.gql(SERVER, { id: mine.id }, supervisor)).toEqual({
      server: { id: mine.id, name: mine.name },
    });
  });

  it('a token mixing SERVER with a person role is refused with UNAUTHENTICATED', async () => {
    const mine = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const foreign = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    for (const role of ['SUPERVISOR', 'CUSTOMER_ADMIN', 'PARTNER', 'LICENSING_ADMIN'] as const) {
      const mixed = await h.token([role, 'SERVER'], { accountId: mine.accountId, serverId: foreign.id });
      expect((await h.code(HEARTBEAT, { id: foreign.id }, mixed)).code).toBe('UNAUTHENTICATED');
      expect((await h.code(SERVER, { id: foreign.id }, mixed)).code).toBe('UNAUTHENTICATED');
    }
  });

  // Issue 15, hole 5: "such credentials live a year; tokens without exp ... are accepted".
  it('issues machine credentials for SERVER_CREDENTIAL_LIFETIME_SECONDS (under a year) and refuses one without exp', async () => {
    const server = await h.serverWith({ [`${CLIENT}_CONCURRENT`]: 5 });
    const before = Date.now();
    const issued = await h.gql<{ issueServerCredential: { token: string; expiresAt: string } }>(ISSUE, {
      id: server.id,
    });
    const lifetimeMs = Date.parse(issued.issueServerCredential.expiresAt) - before;
    expect(lifetimeMs).toBeLessThanOrEqual(h.config.jwt.serverMaxLifetimeSeconds * 1000 + 1000);
    expect(lifetimeMs).toBeLessThan(365 * 86_400_000);
    const [, payload] = issued.issueServerCredential.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(h.config.jwt.serverMaxLifetimeSeconds);
    expect(await h.gql(HEARTBEAT, { id: server.id }, issued.issueServerCredential.token)).toEqual({
      heartbeat: true,
    });

    const noExp = await new SignJWT({ roles: ['SERVER'], serverId: server.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(`machine-${server.id}`)
      .setIssuer(h.config.jwt.issuer)
      .setAudience(h.config.jwt.audience)
      .sign(new TextEncoder().encode(h.config.jwt.secret));
    expect((await h.code(HEARTBEAT, { id: server.id }, noExp)).code).toBe('UNAUTHENTICATED');
  });
});
