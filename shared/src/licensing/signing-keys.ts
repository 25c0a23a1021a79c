import { createPublicKey, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config } from '../config/config.js';
import { generateSigningKeyPair, publicKeyFromPrivate } from './signing.js';
import { type SigningKeyPair } from './types.js';

/** Where a development key pair lives between starts (embedded mode; never used in production). */
export const DEVELOPMENT_SIGNING_KEY_FILE = 'license-signing-key.pem';

type SigningConfig = Pick<Config, 'env' | 'dataDir' | 'licenseSigning'>;

function readPem(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates the development key file exactly once even when several subgraphs start at the same time:
 * the key is written to a private temporary file and hard-linked into place, which fails if another
 * process won the race (whose key is then read back), so nobody ever reads a half-written file.
 */
function loadOrCreateDevelopmentKey(dataDir: string): string {
  const dir = resolve(dataDir);
  const path = join(dir, DEVELOPMENT_SIGNING_KEY_FILE);
  const existing = readPem(path);
  if (existing !== undefined) return existing;
  mkdirSync(dir, { recursive: true });
  const { privateKeyPem } = generateSigningKeyPair();
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, privateKeyPem, { mode: 0o600 });
  try {
    linkSync(temporary, path);
    return privateKeyPem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = readPem(path);
    if (winner === undefined) throw error;
    return winner;
  } finally {
    unlinkSync(temporary);
  }
}

/**
 * The platform's activation-file signing pair: LICENSE_SIGNING_PRIVATE_KEY (and optionally
 * LICENSE_SIGNING_PUBLIC_KEY, which must then belong to it); outside production, when neither is set,
 * a development pair generated on first start and kept in `<DATA_DIR>/license-signing-key.pem`.
 * Both the accounts subgraph (signs) and the allocation subgraph (verifies) call this, so in embedded
 * mode they agree on the key without any configuration.
 */
export function resolveSigningKeys(config: SigningConfig): SigningKeyPair {
  const { privateKeyPem, publicKeyPem } = config.licenseSigning;
  if (privateKeyPem) {
    const derived = publicKeyFromPrivate(privateKeyPem);
    if (publicKeyPem && derived !== normalisePublicKey(publicKeyPem)) {
      throw new Error('LICENSE_SIGNING_PUBLIC_KEY does not belong to LICENSE_SIGNING_PRIVATE_KEY');
    }
    return { privateKeyPem, publicKeyPem: derived };
  }
  if (publicKeyPem) {
    throw new Error(
      'LICENSE_SIGNING_PUBLIC_KEY is set without LICENSE_SIGNING_PRIVATE_KEY: activation files cannot be signed',
    );
  }
  if (config.env === 'production')
    throw new Error('LICENSE_SIGNING_PRIVATE_KEY is required when NODE_ENV=production');
  const developmentKey = loadOrCreateDevelopmentKey(config.dataDir);
  return { privateKeyPem: developmentKey, publicKeyPem: publicKeyFromPrivate(developmentKey) };
}

/**
 * The key a server checks activation files with: LICENSE_SIGNING_PUBLIC_KEY when configured (a
 * verifier needs no private key), else the public half of `resolveSigningKeys`.
 */
export function resolveVerificationKey(config: SigningConfig): string {
  const { privateKeyPem, publicKeyPem } = config.licenseSigning;
  if (publicKeyPem && !privateKeyPem) return normalisePublicKey(publicKeyPem);
  return resolveSigningKeys(config).publicKeyPem;
}

/** The same SPKI PEM spelling `publicKeyFromPrivate` produces, whatever the configured text's line endings. */
function normalisePublicKey(publicKeyPem: string): string {
  try {
    return createPublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  } catch (error) {
    throw new Error('LICENSE_SIGNING_PUBLIC_KEY is not a public key in PEM form', { cause: error });
  }
}
