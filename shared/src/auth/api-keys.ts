import { createHash, randomBytes } from 'node:crypto';
import { type Role } from './auth.js';

/** Every API key's secret starts so (recognisable in logs and by secret scanners). */
export const API_KEY_PREFIX = 'lic_';
/** The subject of the platform token the gateway forwards for a key, and of the key's revocation. */
export const API_KEY_SUBJECT_PREFIX = 'api-key:';
/** The accounts route the gateway verifies keys on (gateway-signed, never public). */
export const API_KEY_VERIFY_PATH = '/internal/api-keys/verify';

/** `lic_` and 43 base64url characters: 256 random bits. */
const API_KEY_SHAPE = /^lic_[A-Za-z0-9_-]{43}$/;

export function newApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function isApiKeySecret(value: string): boolean {
  return API_KEY_SHAPE.test(value);
}

/**
 * SHA-256 of the secret, hex. A slow password hash (bcrypt, scrypt, argon2) guards guessable
 * passwords; a 256-bit random secret cannot be guessed, so it would cost every request for nothing.
 */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What accounts answers the gateway for a key's hash. */
export type ApiKeyVerdict =
  | {
      ok: true;
      id: string;
      accountId: string;
      roles: Role[];
      certified: boolean;
      /** ISO instant, or null for a key without expiry. */
      expiresAt: string | null;
    }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };
