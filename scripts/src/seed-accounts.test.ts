import { createServer } from '@lic/accounts';
import { ManualClock, verifyLicenseFile } from '@lic/shared';
import { graphqlData, testEnvironment, testSigner, tokenFor } from '@lic/testing';
import { seedAccounts } from './seed-accounts.js';

describe('seedAccounts', () => {
  it('creates the demo accounts, orders and one verified production file per demo server', async () => {
    const env = testEnvironment();
    const server = await createServer(env.config, { clock: new ManualClock(new Date()) });
    try {
      const admin = await tokenFor(env.config, {
        sub: 'dev-admin',
        roles: ['LICENSING_ADMIN'],
        certified: true,
      });
      // The accounts subgraph answers these operations exactly as the gateway would.
      const seeded = await seedAccounts(server.url, admin, testSigner(env.config));
      expect([seeded.accounts.acme.garn, seeded.accounts.globex.garn, seeded.accounts.initech.garn]).toEqual([
        'GARN-100001',
        'GARN-200001',
        'GARN-100002',
      ]);
      const acme = verifyLicenseFile(seeded.files.acmeCic.content, server.licensePublicKeyPem);
      expect(acme).toMatchObject({
        licenseModel: 'SUBSCRIPTION',
        licenseType: 'PRODUCTION',
        installSiteId: seeded.sites.acme,
      });
      expect(acme.machine).toMatchObject({ hostId: '', machineName: 'acme-cic-1' });
      expect(acme.switchover?.machineName).toBe('acme-cic-2');
      expect(acme.virtualCloud?.gracePeriodDays).toBe(7);
      const keys = Object.fromEntries(acme.keys.map((k) => [k.key, k.quantity]));
      expect(keys).toMatchObject({
        I3_LICENSE_BASIC_STATION: 90,
        I3_ACCESS_CLIENT: 10,
        I3_SESSION_CALL_PORT: 96,
        I3_FEATURE_VIRTUAL_CLOUD: 1,
      });
      const initech = verifyLicenseFile(seeded.files.initechCic.content, server.licensePublicKeyPem);
      expect(initech).toMatchObject({
        licenseModel: 'PERPETUAL',
        accountId: seeded.accounts.initech.id,
        machine: { machineName: 'initech-cic' },
      });
      expect(seeded.files.initechCic.fileName).toBe('initech-cic.I3Lic');

      // The enforcement demo's server: virtual cloud, enforced already (ramp date in the past).
      expect(seeded.accounts.demo.garn).toBe('GARN-900001');
      const demo = verifyLicenseFile(seeded.files.demoCloud.content, server.licensePublicKeyPem);
      expect(demo).toMatchObject({
        licenseModel: 'SUBSCRIPTION',
        accountId: seeded.accounts.demo.id,
        machine: { machineName: 'demo-cloud-1' },
      });
      expect(demo.virtualCloud?.gracePeriodDays).toBe(7);
      expect(new Date(demo.virtualCloud!.rampDate).getTime()).toBeLessThan(Date.now());
      expect(demo.keys.find((k) => k.key === 'I3_FEATURE_VIRTUAL_CLOUD')?.quantity).toBe(1);

      // Globex sees the customer it sold to.
      const partner = await tokenFor(env.config, {
        roles: ['PARTNER'],
        accountId: seeded.accounts.globex.id,
      });
      const { accounts } = await graphqlData<{ accounts: Array<{ name: string }> }>(
        server.url,
        '{ accounts { name } }',
        {},
        partner,
      );
      expect(accounts.map((a) => a.name)).toEqual(['Globex Partners', 'Initech']);
    } finally {
      await server.close();
      await env.cleanup();
    }
  });
});
