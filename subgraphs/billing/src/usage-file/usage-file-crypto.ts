import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DomainError, ErrorCode } from '@lic/shared';
import { requireSequence, usageFileName, utcDay } from './usage-file-name.js';

/** What the header of a usage file says about it; all of it is authenticated. */
export interface UsageFileMeta {
  readonly serverId: string;
  readonly fileName: string;
  /** The UTC day the file covers, `YYYY-MM-DD`. */
  readonly day: string;
  readonly sequence: number;
}

export interface UsageFileMetaInput {
  readonly serverId: string;
  readonly day: Date | string;
  readonly sequence: number;
  /** Defaults to `usageFileName(serverId, day, sequence)`. */
  readonly fileName?: string;
}

export interface UsageFileExpectation {
  readonly serverId?: string;
  readonly fileName?: string;
}

export interface DecryptedUsageFile {
  readonly plaintext: Buffer;
  readonly meta: UsageFileMeta;
}

/** Why a usage file was refused, in `extensions.reason`, for clients that want to branch. */
export const UsageFileProblem = {
  NOT_A_USAGE_FILE: 'NOT_A_USAGE_FILE',
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  TOO_LARGE: 'TOO_LARGE',
  TRUNCATED: 'TRUNCATED',
  CORRUPTED: 'CORRUPTED',
  FOREIGN_KEY: 'FOREIGN_KEY',
  WRONG_SERVER: 'WRONG_SERVER',
  RENAMED: 'RENAMED',
} as const;
export type UsageFileProblem = (typeof UsageFileProblem)[keyof typeof UsageFileProblem];

export const USAGE_FILE_VERSION = 1;
/** The largest customers write about 10 MB a day (reference Appendix A); base64 adds a third. */
export const MAX_USAGE_FILE_CHARS = 32 * 1024 * 1024;

const BEGIN = '-----BEGIN LIC USAGE FILE-----';
const END = '-----END LIC USAGE FILE-----';
const HEADER_FIELDS = ['Version', 'Server-Id', 'File-Name', 'Day', 'Sequence', 'Key-Id'] as const;
const LINE_WIDTH = 76;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_HEX = /^[0-9a-fA-F]{64}$/;
// Header values are printable ASCII without edge spaces, so the header text is canonical.
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/;
const FILE_NAME_VALUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;

function refuse(problem: UsageFileProblem, message: string, fileName?: string): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, `Usage file${fileName ? ` ${fileName}` : ''} ${message}`, {
    field: 'content',
    reason: problem,
  });
}

/** A bad key is a deployment fault, not the uploader's: a plain Error, masked as internal. */
function keyBytes(keyHex: string): Buffer {
  if (!KEY_HEX.test(keyHex))
    throw new Error('The usage-file key must be 64 hexadecimal characters (AES-256)');
  return Buffer.from(keyHex, 'hex');
}

/**
 * A public fingerprint of the key (HMAC, so it reveals nothing about the key). GCM alone cannot
 * tell a foreign key from tampering; this lets the error say which one happened.
 */
function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('lic-usage-file key id').digest('hex').slice(0, 16);
}

function headerText(meta: UsageFileMeta, kid: string): string {
  const values = [
    String(USAGE_FILE_VERSION),
    meta.serverId,
    meta.fileName,
    meta.day,
    String(meta.sequence),
    kid,
  ];
  return HEADER_FIELDS.map((field, i) => `${field}: ${values[i]}`).join('\n');
}

function wrap(base64: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += LINE_WIDTH) lines.push(base64.slice(i, i + LINE_WIDTH));
  return lines;
}

function normalizeMeta(input: UsageFileMetaInput): UsageFileMeta {
  const day = utcDay(input.day);
  const sequence = requireSequence(input.sequence);
  const fileName = input.fileName ?? usageFileName(input.serverId, day, sequence);
  if (!HEADER_VALUE.test(input.serverId)) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'serverId must be 1-200 printable ASCII characters', {
      field: 'serverId',
    });
  }
  if (!FILE_NAME_VALUE.test(fileName)) {
    throw new DomainError(
      ErrorCode.BAD_USER_INPUT,
      'fileName may hold only letters, digits, ".", "_" and "-"',
      {
        field: 'fileName',
      },
    );
  }
  return { serverId: input.serverId, fileName, day, sequence };
}

/**
 * Seals a usage file: AES-256-GCM with a fresh random IV, the whole header as additional
 * authenticated data so that editing any header field (moving a file to another server,
 * renaming it, changing its day) breaks the tag just as editing the payload does.
 */
export function encryptUsageFile(
  plain: Buffer | string,
  keyHex: string,
  metaInput: UsageFileMetaInput,
): string {
  const key = keyBytes(keyHex);
  const meta = normalizeMeta(metaInput);
  const header = headerText(meta, keyId(key));
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const body = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return [BEGIN, header, '', ...wrap(body.toString('base64')), END, ''].join('\n');
}

interface ParsedEnvelope {
  readonly meta: UsageFileMeta;
  readonly kid: string;
  readonly header: string;
  readonly body: Buffer;
}

function parseEnvelope(text: string): ParsedEnvelope {
  if (typeof text !== 'string' || text.length === 0) throw refuse('NOT_A_USAGE_FILE', 'is empty');
  if (text.length > MAX_USAGE_FILE_CHARS) {
    throw refuse('TOO_LARGE', `is larger than ${MAX_USAGE_FILE_CHARS} characters`);
  }
  // Tolerate what mail clients and editors do to text files; nothing else.
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n')
    .split('\n');
  const first = lines[0] ?? '';
  if (first !== BEGIN) {
    if (lines.length === 1 && BEGIN.startsWith(first))
      throw refuse('TRUNCATED', 'is truncated: it ends inside its header');
    throw refuse('NOT_A_USAGE_FILE', 'is not a usage file: it lacks the usage-file header');
  }
  // The version comes first so that a later format may change everything after it.
  const versionLine = lines[1] ?? '';
  if (versionLine !== `Version: ${USAGE_FILE_VERSION}`) {
    if (/^Version: \d+$/.test(versionLine)) {
      throw refuse(
        'UNSUPPORTED_VERSION',
        `has format version ${versionLine.slice(9)}; this platform reads version ${USAGE_FILE_VERSION}`,
      );
    }
    if (lines.length <= 2) throw refuse('TRUNCATED', 'is truncated: it ends inside its header');
    throw refuse('CORRUPTED', 'has a damaged header: line 2 should be its Version');
  }
  if (lines.at(-1) === '') lines.pop();
  const endAt = lines.indexOf(END);
  if (endAt === -1) throw refuse('TRUNCATED', 'is truncated: its end marker is missing');
  if (endAt !== lines.length - 1)
    throw refuse('CORRUPTED', 'is corrupted: there is text after its end marker');

  const values: string[] = [];
  for (const [i, field] of HEADER_FIELDS.entries()) {
    const line = lines[1 + i] ?? '';
    const prefix = `${field}: `;
    const value = line.slice(prefix.length);
    if (!line.startsWith(prefix) || !HEADER_VALUE.test(value)) {
      throw refuse('CORRUPTED', `has a damaged header: line ${2 + i} should be its ${field}`);
    }
    values.push(value);
  }
  const [, serverId = '', fileName = '', day = '', sequence = '', kid = ''] = values;
  let meta: UsageFileMeta;
  try {
    if (!/^[1-9]\d*$/.test(sequence)) throw new Error('sequence');
    meta = normalizeMeta({ serverId, fileName, day, sequence: Number(sequence) });
  } catch {
    throw refuse('CORRUPTED', 'has a damaged header: a field holds an impossible value');
  }
  if (!/^[0-9a-f]{16}$/.test(kid)) throw refuse('CORRUPTED', 'has a damaged header: its key id is malformed');

  const separatorAt = 1 + HEADER_FIELDS.length;
  if (lines[separatorAt] !== '') throw refuse('CORRUPTED', 'has a damaged header: no blank line after it');
  const bodyLines = lines.slice(separatorAt + 1, endAt);
  const base64 = bodyLines.join('');
  // Decoders skip stray characters and unused low bits; re-encoding catches every such change.
  if (!bodyLines.every((line) => BASE64_LINE.test(line)))
    throw refuse('CORRUPTED', 'is corrupted: its payload is not base64');
  const body = Buffer.from(base64, 'base64');
  if (wrap(body.toString('base64')).join('\n') !== bodyLines.join('\n')) {
    throw refuse('CORRUPTED', 'is corrupted: its payload is not canonical base64');
  }
  if (body.length < IV_BYTES + TAG_BYTES) throw refuse('TRUNCATED', 'is truncated: its payload is too short');
  return { meta, kid, header: lines.slice(1, separatorAt).join('\n'), body };
}

/** Reads the header without the key, e.g. to pick the key; nothing in it is verified until decrypted. */
export function readUsageFileHeader(text: string): UsageFileMeta {
  return parseEnvelope(text).meta;
}

/**
 * Opens a usage file, refusing it (BAD_USER_INPUT with a `reason`) when it is not one, is cut
 * short, was altered anywhere, was sealed with another key, or names another server or file
 * than expected. Checks run in that order, so the server named in a refusal is authenticated.
 */
export function decryptUsageFile(
  text: string,
  keyHex: string,
  expected: string | UsageFileExpectation = {},
): DecryptedUsageFile {
  const key = keyBytes(keyHex);
  const expect: UsageFileExpectation = typeof expected === 'string' ? { serverId: expected } : expected;
  const { meta, kid, header, body } = parseEnvelope(text);
  if (kid !== keyId(key)) {
    throw refuse(
      'FOREIGN_KEY',
      'was sealed with a different key: it does not belong to this installation',
      meta.fileName,
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(header, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([
      decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw refuse('CORRUPTED', 'is corrupted or was altered: its integrity check failed', meta.fileName);
  }
  if (expect.serverId !== undefined && meta.serverId !== expect.serverId) {
    throw refuse(
      'WRONG_SERVER',
      `belongs to server ${meta.serverId}, not to server ${expect.serverId}`,
      meta.fileName,
    );
  }
  if (expect.fileName !== undefined && meta.fileName !== expect.fileName) {
    throw refuse('RENAMED', `was renamed: it was written as ${meta.fileName}`, expect.fileName);
  }
  return { plaintext, meta };
}
