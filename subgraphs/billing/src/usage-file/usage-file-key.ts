import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config } from '@lic/shared';

export const USAGE_FILE_KEY_FILE = 'usage-file.key';
const KEY_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * The AES-256 key usage files are sealed with: USAGE_FILE_KEY (config refuses production
 * without it); elsewhere a development key made on first start and kept in
 * `<DATA_DIR>/usage-file.key`, so files stay readable across restarts.
 */
export function resolveUsageFileKey(config: Pick<Config, 'usageFileKeyHex' | 'dataDir' | 'env'>): string {
  if (config.usageFileKeyHex) return config.usageFileKeyHex.toLowerCase();
  if (config.env === 'production') throw new Error('USAGE_FILE_KEY is required in production');
  const dir = resolve(config.dataDir);
  const path = join(dir, USAGE_FILE_KEY_FILE);
  mkdirSync(dir, { recursive: true });
  try {
    // `wx` fails if another process made the key first; then we read theirs.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readFileSync(path, 'utf8').trim();
  if (!KEY_HEX.test(key)) throw new Error(`${path} does not hold a 64-hex-digit usage-file key`);
  return key.toLowerCase();
}
