import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config.js';
import { DEVELOPMENT_SIGNING_KEY_FILE, resolveSigningKeys, resolveVerificationKey } from './signing-keys.js';
import { generateSigningKeyPair } from './signing.js';

describe('resolveSigningKeys', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lic-keys-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const config = (env: Record<string, string> = {}) =>
    loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, ...env });

  it('generates a development pair on first start and reuses it on later starts', () => {
    const first = resolveSigningKeys(config());
    const path = join(dataDir, DEVELOPMENT_SIGNING_KEY_FILE);
    expect(readFileSync(path, 'utf8')).toBe(first.privateKeyPem);
    expect(statSync(path).mode & 0o077).toBe(0);
    const second = resolveSigningKeys(config());
    expect(second).toEqual(first);
    expect(resolveVerificationKey(config())).toBe(first.publicKeyPem);
  });

  it('uses the configured key and never writes a development file', () => {
    const pair = generateSigningKeyPair();
    const resolved = resolveSigningKeys(config({ LICENSE_SIGNING_PRIVATE_KEY: pair.privateKeyPem }));
    expect(resolved).toEqual(pair);
    expect(existsSync(join(dataDir, DEVELOPMENT_SIGNING_KEY_FILE))).toBe(false);
    const both = config({
      LICENSE_SIGNING_PRIVATE_KEY: pair.privateKeyPem,
      LICENSE_SIGNING_PUBLIC_KEY: pair.publicKeyPem,
    });
    expect(resolveSigningKeys(both)).toEqual(pair);
  });

  it('refuses a public key that does not belong to the private key', () => {
    const a = generateSigningKeyPair();
    const b = generateSigningKeyPair();
    expect(() =>
      resolveSigningKeys(
        config({ LICENSE_SIGNING_PRIVATE_KEY: a.privateKeyPem, LICENSE_SIGNING_PUBLIC_KEY: b.publicKeyPem }),
      ),
    ).toThrow(/does not belong/);
  });

  it('lets a verifier run with only the public key, but not a signer', () => {
    const pair = generateSigningKeyPair();
    const verifierOnly = config({ LICENSE_SIGNING_PUBLIC_KEY: pair.publicKeyPem });
    expect(resolveVerificationKey(verifierOnly)).toBe(pair.publicKeyPem);
    expect(() => resolveSigningKeys(verifierOnly)).toThrow(/cannot be signed/);
  });

  it('never generates a key in production', () => {
    const production = { ...config(), env: 'production' as const };
    expect(() => resolveSigningKeys(production)).toThrow(/required when NODE_ENV=production/);
    expect(existsSync(join(dataDir, DEVELOPMENT_SIGNING_KEY_FILE))).toBe(false);
  });
});
