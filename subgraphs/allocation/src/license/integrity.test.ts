import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { type LicenseFileContent, Topics, serializeLicenseFile } from '@lic/shared';
import { describeEachDatabase, eventually } from '@lic/testing';
import { Harness, type TestServer } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const LOAD = `mutation($id: ID!, $content: String!) {
  loadLicenseFile(serverId: $id, content: $content) { id license { fileId revision keys { key quantity } } }
}`;
const REGISTER = `mutation($input: RegisterServerInput!) { registerServer(input: $input) { id name environment } }`;
const SERVER = `query($id: ID!) { server(id: $id) { id environment license { fileId revision withdrawnAt } } }`;

describeEachDatabase('licence integrity: revisions, one file one server, environments', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  /** A server of its own account and site, registered with the given environment (or the default). */
  const server = async (environment?: string): Promise<TestServer> => {
    const input = {
      accountId: `acc-${randomUUID().slice(0, 8)}`,
      installSiteId: `site-${randomUUID().slice(0, 8)}`,
      name: `cic-${randomUUID().slice(0, 8)}`,
    };
    const data = await h.gql<{ registerServer: { id: string } }>(REGISTER, {
      input: { ...input, ...(environment ? { environment } : {}) },
    });
    return { id: data.registerServer.id, ...input };
  };

  /** A second server of the same account and site. */
  const sibling = async (of: TestServer, name: string) =>
    (await h.registerServer(name, {
      accountId: of.accountId,
      installSiteId: of.installSiteId,
    })) as TestServer;

  const load = (target: TestServer, content: string) => h.gql(LOAD, { id: target.id, content });
  const loadCode = async (target: TestServer, content: string) =>
    (await h.code(LOAD, { id: target.id, content })).code;

  const assign = (target: TestServer) => h.createUser(target, [CLIENT], 'ASSIGNED');

  describe('revisions', () => {
    // SPEC (section 1): "Only a file's current revision loads; an older one is refused as superseded,
    // even if it loaded before. Updating a file that is loaded on a server applies the new revision's
    // quantities to that server at once (lowered totals: holders keep, nothing new until under) ...
    // Quantities an update gives back to the account are never usable twice."
    it('issue 14: an order of 5, a file of 5 updated to 1 — the update reaches the server, the old content never loads again', async () => {
      const primary = await h.registerServer();
      const fileId = `af-rev-${randomUUID().slice(0, 8)}`;
      const five = h.licenseFile(primary, { [CLIENT]: 5 }, { fileId, revision: 1 });
      await load(primary, five);
      const holders = [await assign(primary), await assign(primary), await assign(primary)];
      expect(await h.statistic(primary, CLIENT)).toMatchObject({
        assignableAllowed: 5,
        assignableConfigured: 3,
      });

      // The account updates the file to 1 and licenses the 4 it got back to a second server.
      const one = h.licenseFile(primary, { [CLIENT]: 1 }, { fileId, revision: 2 });
      await h.publish(Topics.ActivationFileUpdated, {
        fileId,
        accountId: primary.accountId,
        revision: 2,
        content: one,
        updatedAt: h.clock.now().toISOString(),
      });
      await eventually(async () => (await h.statistic(primary, CLIENT)).assignableAllowed === 1);
      const second = await sibling(primary, `second-${randomUUID().slice(0, 6)}`);
      await load(second, h.licenseFile(second, { [CLIENT]: 4 }));

      // Holders keep what they hold; nothing new until the pool is back under its total.
      expect(await h.statistic(primary, CLIENT)).toMatchObject({
        assignableAllowed: 1,
        assignableConfigured: 3,
      });
      expect(
        (
          await h.code(`mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }`, {
            input: {
              serverId: primary.id,
              name: 'one-too-many',
              allocationMethod: 'ASSIGNED',
              licenses: [CLIENT],
            },
          })
        ).code,
      ).toBe('LICENSE_EXHAUSTED');
      expect(holders).toHaveLength(3);
      const server = await h.gql<{ server: { license: { revision: number } } }>(SERVER, { id: primary.id });
      expect(server.server.license.revision).toBe(2);

      // The old, larger content: refused on its own server, even though it loaded before.
      const refused = await h.code(LOAD, { id: primary.id, content: five });
      expect(refused).toMatchObject({
        code: 'LICENSE_FILE_SUPERSEDED',
        extensions: { fileId, revision: 1, currentRevision: 2 },
      });
      // ... and no clone of the machine can be registered to load it elsewhere.
      const clone = await h.code(REGISTER, {
        input: {
          accountId: primary.accountId,
          installSiteId: primary.installSiteId,
          name: primary.name.toUpperCase(),
        },
      });
      expect(clone.code).toBe('BAD_USER_INPUT');

      // Live totals across the account never exceed the order of 5.
      const live =
        ((await h.statistic(primary, CLIENT)).assignableAllowed ?? 0) +
        ((await h.statistic(second, CLIENT)).assignableAllowed ?? 0);
      expect(live).toBeLessThanOrEqual(5);
      expect(await h.statistic(primary, CLIENT)).toMatchObject({ assignableAllowed: 1 });
    });

    it('a newer revision loaded directly becomes the current one: the older one is superseded from then on', async () => {
      const target = await h.registerServer();
      const fileId = `af-rev-${randomUUID().slice(0, 8)}`;
      const first = h.licenseFile(target, { [CLIENT]: 3 }, { fileId, revision: 1 });
      const third = h.licenseFile(target, { [CLIENT]: 2 }, { fileId, revision: 3 });
      await load(target, first);
      await load(target, third);
      expect(await loadCode(target, first)).toBe('LICENSE_FILE_SUPERSEDED');
      // A late event for revision 2 changes nothing: revision 3 stays.
      await h.publish(Topics.ActivationFileUpdated, {
        fileId,
        accountId: target.accountId,
        revision: 2,
        content: h.licenseFile(target, { [CLIENT]: 9 }, { fileId, revision: 2 }),
        updatedAt: h.clock.now().toISOString(),
      });
      await load(target, third);
      expect(await h.statistic(target, CLIENT)).toMatchObject({ assignableAllowed: 2 });
      // A file signed before revisions existed reads as revision 1: superseded too.
      const unrevised = h.licenseFile(target, { [CLIENT]: 3 }, { fileId });
      expect(await loadCode(target, unrevised)).toBe('LICENSE_FILE_SUPERSEDED');
    });

    it('an update that no longer names the server withdraws the file from it, as deactivation does', async () => {
      const target = await h.registerServer();
      const fileId = `af-rev-${randomUUID().slice(0, 8)}`;
      await load(target, h.licenseFile(target, { [`${CLIENT}_CONCURRENT`]: 4 }, { fileId, revision: 1 }));
      const elsewhere = h.licenseFile(
        { ...target, name: 'another-machine' },
        { [`${CLIENT}_CONCURRENT`]: 4 },
        { fileId, revision: 2 },
      );
      await h.publish(Topics.ActivationFileUpdated, {
        fileId,
        accountId: target.accountId,
        revision: 2,
        content: elsewhere,
        updatedAt: h.clock.now().toISOString(),
      });
      await eventually(async () => (await h.statistic(target, CLIENT)).concurrentAllowed === 0);
      const read = await h.gql<{ server: { license: { withdrawnAt: string | null } } }>(SERVER, {
        id: target.id,
      });
      expect(read.server.license.withdrawnAt).not.toBeNull();
    });
  });

  describe('one file, one server (or one switchover pair)', () => {
    // SPEC: "A server's machine name is unique within its account (case-insensitive); registering a
    // second server with the same name is refused." (issue 14: the same signed file loaded on each clone)
    it('refuses a second server with the same machine name in the account, even at the same instant', async () => {
      const first = await h.registerServer(`Twin-${randomUUID().slice(0, 6)}`);
      const again = await h.code(REGISTER, {
        input: {
          accountId: first.accountId,
          installSiteId: first.installSiteId,
          name: `  ${first.name.toLowerCase()} `,
        },
      });
      expect(again).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'name' } });
      // Another account may use the name.
      await h.registerServer(first.name);

      const accountId = `acc-${randomUUID().slice(0, 8)}`;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          h.gql(REGISTER, {
            input: { accountId, installSiteId: 'site-race', name: i % 2 ? 'RACE' : 'race' },
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    });

    // SPEC: "A file is live on at most the server its machine name names, plus its switchover partner.
    // Loading it on any other server is refused (LICENSE_FILE_IN_USE) while it is live elsewhere."
    it('refuses a file live on another server that is not the switchover partner', async () => {
      const primary = await h.registerServer();
      const standby = await sibling(primary, `standby-${randomUUID().slice(0, 6)}`);
      // The file names both machines, but they were not registered as a pair.
      const content = h.licenseFile(
        primary,
        { [`${CLIENT}_CONCURRENT`]: 5 },
        { switchover: { hostId: 'H2', machineName: standby.name, serverItem: 'Basic Server' } },
      );
      await load(primary, content);
      const refused = await h.code(LOAD, { id: standby.id, content });
      expect(refused).toMatchObject({ code: 'LICENSE_FILE_IN_USE', extensions: { serverId: primary.id } });
      expect((await h.statistics(standby)).every((s) => s.concurrentAllowed === 0)).toBe(true);
      // Reloading on its own server is fine.
      await load(primary, content);
    });

    it('a pair registered as partners takes a switchover file together', async () => {
      const primary = await h.registerServer();
      const partner = await h.registerServer(`partner-${randomUUID().slice(0, 6)}`, {
        accountId: primary.accountId,
        installSiteId: primary.installSiteId,
        switchoverPartnerId: primary.id,
      });
      const content = h.licenseFile(
        primary,
        { [`${CLIENT}_CONCURRENT`]: 5 },
        { switchover: { hostId: 'H2', machineName: partner.name, serverItem: 'Basic Server' } },
      );
      await load(primary, content);
      await load(partner, content);
    });
  });

  describe('subscription-only features', () => {
    /** Signs any body with the harness key, as a file signed before the rule would have been. */
    const signRaw = (body: string) =>
      `${body}Signature: Ed25519 ${sign(null, Buffer.from(body, 'utf8'), createPrivateKey(h.keys.privateKeyPem)).toString('base64')}\n`;

    // SPEC: "a PERPETUAL file never contains I3_FEATURE_USAGE_TRACKING_* or I3_FEATURE_VIRTUAL_CLOUD"
    // (issue 14: a perpetual file carrying them got its server billed and degraded).
    it.each(['I3_FEATURE_USAGE_TRACKING_UPLOAD', 'I3_FEATURE_USAGE_TRACKING_LOCAL'])(
      'refuses a perpetual file holding %s, even one signed before the rule',
      async (key) => {
        const target = await h.registerServer();
        const content: LicenseFileContent = {
          fileId: `af-${randomUUID().slice(0, 8)}`,
          accountId: target.accountId,
          installSiteId: target.installSiteId,
          licenseModel: 'PERPETUAL',
          licenseType: 'PRODUCTION',
          product: 'PureConnect CIC',
          productVersion: '2020 R2',
          generatedAt: new Date('2024-01-01T00:00:00.000Z'),
          expiresAt: new Date('2100-01-01T00:00:00.000Z'),
          machine: {
            hostId: 'H1',
            machineName: target.name,
            systemType: 'Windows',
            serverItem: 'Basic Server',
          },
          keys: [{ key: CLIENT, quantity: 5 }],
        };
        const body = serializeLicenseFile(content).replace(
          `Keys: 1\n${CLIENT} 5\n`,
          `Keys: 2\n${CLIENT} 5\n${key} 1\n`,
        );
        const refused = await h.code(LOAD, { id: target.id, content: signRaw(body) });
        expect(refused.code).toBe('INVALID_LICENSE_FILE');
        expect(refused.message).toMatch(/requires a subscription/);
        expect(await h.statistics(target)).toEqual([]);
      },
    );
  });

  describe('server environment', () => {
    // SPEC: "Development files may not be used on a production server: a server is registered with an
    // environment (PRODUCTION by default, DEVELOPMENT, TEST), and a development file is refused on a
    // PRODUCTION server." (issue 14: development files loaded on any server)
    it('registers PRODUCTION by default and refuses a development file there', async () => {
      const production = await server();
      const read = await h.gql<{ server: { environment: string } }>(SERVER, { id: production.id });
      expect(read.server.environment).toBe('PRODUCTION');
      const refused = await h.code(LOAD, {
        id: production.id,
        content: h.licenseFile(production, { [CLIENT]: 8 }, { licenseType: 'DEVELOPMENT_ORDERED_SMALL' }),
      });
      expect(refused).toMatchObject({
        code: 'INVALID_LICENSE_FILE',
        extensions: { reason: 'DEVELOPMENT_FILE_ON_PRODUCTION_SERVER', environment: 'PRODUCTION' },
      });
      expect(refused.message).toMatch(/may not be used on a production server/);
    });

    it.each(['DEVELOPMENT', 'TEST'])('loads a development file on a %s server', async (environment) => {
      const lab = await server(environment);
      const read = await h.gql<{ server: { environment: string } }>(SERVER, { id: lab.id });
      expect(read.server.environment).toBe(environment);
      await load(lab, h.licenseFile(lab, { [CLIENT]: 8 }, { licenseType: 'DEVELOPMENT_NON_ORDERED_SMALL' }));
      expect(await h.statistic(lab, CLIENT)).toMatchObject({ assignableAllowed: 8 });
    });
  });
});
