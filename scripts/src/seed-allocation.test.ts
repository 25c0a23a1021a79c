import { createServer } from '@lic/allocation';
import { ManualClock, generateSigningKeyPair } from '@lic/shared';
import { graphqlData, seed, testEnvironment, testSigner, tokenFor } from '@lic/testing';
import { seedAllocation } from './seed-allocation.js';

describe('seedAllocation', () => {
  const keys = generateSigningKeyPair();
  const env = testEnvironment({
    env: { LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem, LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem },
  });
  const clock = new ManualClock('2024-03-01T08:00:00.000Z');
  let allocation: Awaited<ReturnType<typeof createServer>>;
  let admin: string;

  beforeAll(async () => {
    allocation = await createServer(env.config, { clock });
    admin = await tokenFor(env.config, { roles: ['LICENSING_ADMIN'] });
  });
  afterAll(async () => {
    await allocation.close();
    await env.cleanup();
  });

  const demoSite = () =>
    seed((query, variables) => graphqlData(allocation.url, query, variables, admin), {
      privateKeyPem: keys.privateKeyPem,
    }).use({ accountId: 'acc-demo', siteId: 'site-demo' });

  it('loads the files, creates assigned and concurrent users and stations within the licences, and runs once', async () => {
    // The file is signed, not loaded: seedAllocation loads it.
    const { serverId: licensed, fileContent: file } = await demoSite()
      .server({ name: 'demo-cic-1' })
      .file({
        load: false,
        hostId: '00-15-5D-00-00-09',
        generatedAt: new Date('2024-02-01T00:00:00.000Z'),
        overrides: { fileId: 'af-demo-1' },
        keys: {
          I3_ACCESS_CLIENT: 12,
          I3_ACCESS_CLIENT_CONCURRENT: 30,
          I3_ACCESS_ACD_MEDIA_1_CONCURRENT: 30,
          I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN: 5,
          I3_LICENSE_BASIC_STATION: 45,
        },
      });
    const { serverId: bare } = await demoSite().server({ name: 'demo-cic-2' });
    const seeded = await seedAllocation(
      allocation.url,
      admin,
      {
        servers: [{ id: licensed, licenseFileContent: file }, { id: bare }],
      },
      testSigner(env.config),
    );
    expect(seeded.servers[0]).toEqual({
      id: licensed,
      licenseLoaded: true,
      users: 56,
      stations: 46,
      skipped: false,
    });
    expect(seeded.servers[1]).toMatchObject({ id: bare, licenseLoaded: false, users: 56, skipped: false });

    const stats = await graphqlData<{
      licenseStatistics: Array<{
        key: string;
        assignableConfigured: number;
        concurrentConfigured: number;
        assignableInUse: number;
        assignableAllowed: number;
      }>;
    }>(
      allocation.url,
      `query($id: ID!) { licenseStatistics(serverId: $id) { key assignableConfigured assignableInUse assignableAllowed concurrentConfigured } }`,
      { id: licensed },
      admin,
    );
    const client = stats.licenseStatistics.find((s) => s.key === 'I3_ACCESS_CLIENT')!;
    expect(client.assignableInUse).toBeLessThanOrEqual(client.assignableAllowed);
    expect(client.concurrentConfigured).toBeGreaterThanOrEqual(40);
    expect(
      stats.licenseStatistics.find((s) => s.key === 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN')!
        .assignableConfigured,
    ).toBe(5);

    const again = await seedAllocation(
      allocation.url,
      admin,
      {
        servers: [{ id: licensed, licenseFileContent: file }],
      },
      testSigner(env.config),
    );
    expect(again.servers[0]).toMatchObject({ skipped: true, users: 0 });
  });
});
