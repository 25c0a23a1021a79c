/** The checks a file must pass before any key is involved: size, encoding, line endings, version, signature line. */
import { TextDecoder } from 'node:util';
import { type DomainError } from '../errors/errors.js';
import {
  ED25519_SIGNATURE_BYTES,
  LICENSE_FILE_FORMAT_VERSION,
  LICENSE_FILE_MAGIC,
  LICENSE_FILE_MAX_BYTES,
  SIGNATURE_ALGORITHM,
  SIGNATURE_PREFIX,
  VERSION_LINE,
  invalidLicenseFile,
} from './format.js';
import { parseDecimal } from './values.js';

export interface LicenseFileEnvelope {
  /** Everything before the signature line, as text and as the exact bytes that were signed. */
  body: string;
  signedBytes: Buffer;
  /** Undefined only when the caller allowed an unsigned body. */
  signature: Buffer | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function toBytes(input: unknown): Buffer {
  if (typeof input === 'string') {
    // A string longer than the cap in UTF-16 units is longer in UTF-8 too: refuse before copying it.
    if (input.length > LICENSE_FILE_MAX_BYTES) throw oversize(input.length);
    return Buffer.from(input, 'utf8');
  }
  if (input instanceof Uint8Array) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  throw invalidLicenseFile('the content must be text');
}

function oversize(size: number): DomainError {
  return invalidLicenseFile(`the file is larger than the ${LICENSE_FILE_MAX_BYTES}-byte limit`, { size });
}

function checkVersionLine(line: string): void {
  if (line === VERSION_LINE) return;
  if (!line.startsWith(`${LICENSE_FILE_MAGIC} `)) {
    throw invalidLicenseFile(`this is not an activation file: the first line must be "${VERSION_LINE}"`);
  }
  const version = line.slice(LICENSE_FILE_MAGIC.length + 1);
  if (parseDecimal(version) === undefined) {
    throw invalidLicenseFile(`the format version "${version}" on line 1 is not a number`);
  }
  throw invalidLicenseFile(
    `format version ${version} is not supported; this platform reads version ${LICENSE_FILE_FORMAT_VERSION}`,
    { version },
  );
}

function readSignatureLine(line: string, lineNumber: number): Buffer {
  const match = /^Signature: (\S+) (\S+)$/.exec(line);
  if (!match) throw invalidLicenseFile(`line ${lineNumber}: malformed signature line`, { line: lineNumber });
  const [, algorithm = '', encoded = ''] = match;
  if (algorithm !== SIGNATURE_ALGORITHM) {
    throw invalidLicenseFile(`signature algorithm "${algorithm}" is not supported (expected Ed25519)`);
  }
  const signature = Buffer.from(encoded, 'base64');
  // Node's decoder skips stray characters and ignores padding bits; only the one canonical spelling is accepted.
  if (signature.length !== ED25519_SIGNATURE_BYTES || signature.toString('base64') !== encoded) {
    throw invalidLicenseFile(`line ${lineNumber}: the signature is not a base64 Ed25519 signature`, {
      line: lineNumber,
    });
  }
  return signature;
}

/** Structure checks that need no key: size, encoding, line endings, version, signature line. */
export function readLicenseFileEnvelope(input: unknown, requireSignature: boolean): LicenseFileEnvelope {
  const bytes = toBytes(input);
  if (bytes.length === 0) throw invalidLicenseFile('the file is empty');
  if (bytes.length > LICENSE_FILE_MAX_BYTES) throw oversize(bytes.length);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalidLicenseFile('the file is not valid UTF-8 text');
  }
  if (text.startsWith('\uFEFF')) {
    throw invalidLicenseFile(
      'the file starts with a byte-order mark; it must be saved exactly as downloaded',
    );
  }
  if (text.includes('\r')) {
    throw invalidLicenseFile(
      'the file contains carriage returns; its lines end with LF only (was it converted to CRLF?)',
    );
  }
  const firstBreak = text.indexOf('\n');
  checkVersionLine(firstBreak < 0 ? text : text.slice(0, firstBreak));
  if (!text.endsWith('\n')) throw invalidLicenseFile('the file does not end with a line break (cut short?)');

  const lastLineStart = text.lastIndexOf('\n', text.length - 2) + 1;
  const lastLine = text.slice(lastLineStart, -1);
  if (!lastLine.startsWith(SIGNATURE_PREFIX)) {
    if (requireSignature)
      throw invalidLicenseFile('the signature line is missing (cut short, or never signed)');
    return { body: text, signedBytes: bytes, signature: undefined };
  }
  const body = text.slice(0, lastLineStart);
  const lineNumber = body.split('\n').length;
  const signature = readSignatureLine(lastLine, lineNumber);
  return { body, signedBytes: bytes.subarray(0, Buffer.byteLength(body, 'utf8')), signature };
}
