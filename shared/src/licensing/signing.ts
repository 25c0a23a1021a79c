import {
  type KeyObject,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import { type Clock, systemClock } from '../clock/clock.js';
import { DomainError, ErrorCode } from '../errors/errors.js';
import { readLicenseFileEnvelope } from './envelope.js';
import { SIGNATURE_ALGORITHM, invalidLicenseFile, serializeLicenseFile } from './format.js';
import { parseLicenseFileBody } from './reader.js';
import { type LicenseFileContent, type SigningKeyPair } from './types.js';

// Key problems are the platform's configuration, not the caller's input: plain errors, masked as internal.
function requireEd25519(key: KeyObject, role: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `The licence ${role} key must be an Ed25519 key, not ${key.asymmetricKeyType ?? 'unknown'}`,
    );
  }
  return key;
}

function loadPrivateKey(privateKeyPem: string): KeyObject {
  try {
    return requireEd25519(createPrivateKey(privateKeyPem), 'signing');
  } catch (error) {
    throw new Error('The licence signing key is not a usable Ed25519 private key in PEM form', {
      cause: error,
    });
  }
}

function loadPublicKey(publicKeyPem: string): KeyObject {
  try {
    return requireEd25519(createPublicKey(publicKeyPem), 'verification');
  } catch (error) {
    throw new Error('The licence verification key is not a usable Ed25519 public key in PEM form', {
      cause: error,
    });
  }
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Lets a deployment configure only the private key and still hand servers the public one. */
export function publicKeyFromPrivate(privateKeyPem: string): string {
  return createPublicKey(loadPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** The complete downloadable file: canonical body plus the signature line. */
export function signLicenseFile(content: LicenseFileContent, privateKeyPem: string): string {
  const key = loadPrivateKey(privateKeyPem);
  const body = serializeLicenseFile(content);
  const signature = sign(null, Buffer.from(body, 'utf8'), key).toString('base64');
  return `${body}Signature: ${SIGNATURE_ALGORITHM} ${signature}\n`;
}

/**
 * The only way a server should read a licence file. Checks, in this order: size, encoding and
 * structure; the signature over the exact bytes; every field (only once signed, so nothing unsigned is
 * interpreted); then expiry against the clock (expired from the instant Expires-At names).
 */
export function verifyLicenseFile(
  text: string | Uint8Array,
  publicKeyPem: string,
  clock: Clock = systemClock,
): LicenseFileContent {
  const key = loadPublicKey(publicKeyPem);
  const envelope = readLicenseFileEnvelope(text, true);
  if (envelope.signature === undefined || !verify(null, envelope.signedBytes, key, envelope.signature)) {
    throw invalidLicenseFile('the signature does not match: the file was altered or signed by another key');
  }
  const content = parseLicenseFileBody(envelope.body);
  const now = clock.now();
  if (now.getTime() >= content.expiresAt.getTime()) {
    throw new DomainError(
      ErrorCode.LICENSE_FILE_EXPIRED,
      `Licence file ${content.fileId} expired at ${content.expiresAt.toISOString()}`,
      { fileId: content.fileId, expiresAt: content.expiresAt.toISOString() },
    );
  }
  return content;
}
