/**
 * Activation ("licence") file format, version 1. FORMAT.md holds the same description with an example.
 *
 * A UTF-8 text file (no byte-order mark) of LF-terminated lines, ending with an LF. Line 1 is the
 * version line `I3LIC 1`. Then the header fields, one per line as `Name: value` (or `Name:` when the
 * value is empty, which only the host IDs allow), in exactly this order; `?` marks an optional field,
 * `[...]` an optional group whose fields appear all together:
 *
 *   File-Id                                ID: 1-128 printable ASCII characters, no spaces
 *   Revision?                              whole number 1-1000000000 (absent: revision 1)
 *   Account-Id, Install-Site-Id            IDs
 *   License-Model                          PERPETUAL | SUBSCRIPTION
 *   License-Type                           PRODUCTION | DEVELOPMENT_NON_ORDERED_SMALL |
 *                                          DEVELOPMENT_NON_ORDERED_LARGE | DEVELOPMENT_ORDERED_SMALL |
 *                                          DEVELOPMENT_ORDERED_LARGE | TRIAL | EVALUATION
 *   Product, Product-Version               text
 *   Generated-At, Expires-At               instants, `YYYY-MM-DDTHH:mm:ss.sssZ` (UTC, milliseconds)
 *   Re-Register-By?                        instant
 *   Machine-Host-Id                        text, may be empty (virtual-cloud subscription files only)
 *   Machine-Name, Machine-System-Type      text
 *   Machine-Mail-Connector?                text
 *   Machine-Server-Item                    text
 *   [Switchover-Host-Id, Switchover-Name, Switchover-System-Type?, Switchover-Server-Item]
 *   [Ramp-Date, Grace-Period-Days]         present exactly when the file holds I3_FEATURE_VIRTUAL_CLOUD
 *   Keys                                   the number of key lines that follow
 *
 * Text is 1-256 characters without control characters, line breaks or surrounding whitespace.
 * Each key line is `KEY QUANTITY`: the key in upper-case letters, digits and underscores, the
 * quantity a whole number from 1 without leading zeros. Keys are sorted (code point order) and
 * unique. Numbers are plain decimals. Every value thus has one spelling, so a content has exactly
 * one serialisation and the reader refuses anything the writer would not have produced.
 *
 * The last line is `Signature: Ed25519 <base64>`: the Ed25519 signature of every byte before that
 * line (the LF ending the last key line included), in padded standard base64. A file is at most
 * 1 MiB. A reader refuses versions it does not know rather than guessing at their meaning.
 */
import { DomainError, ErrorCode, badInput } from '../errors/errors.js';
import { contentProblem } from './rules.js';
import { type LicenseFileContent, type LicenseKeyQuantity } from './types.js';
import { formatInstant } from './values.js';

export const LICENSE_FILE_MAGIC = 'I3LIC';
export const LICENSE_FILE_FORMAT_VERSION = 1;
export const LICENSE_FILE_MAX_BYTES = 1024 * 1024;
export const LICENSE_FILE_EXTENSION = '.I3Lic';
export const SIGNATURE_ALGORITHM = 'Ed25519';

export const VERSION_LINE = `${LICENSE_FILE_MAGIC} ${LICENSE_FILE_FORMAT_VERSION}`;
export const SIGNATURE_PREFIX = 'Signature:';
export const ED25519_SIGNATURE_BYTES = 64;

export function invalidLicenseFile(detail: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(ErrorCode.INVALID_LICENSE_FILE, `Invalid licence file: ${detail}`, details);
}

function compareKeys(a: LicenseKeyQuantity, b: LicenseKeyQuantity): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Unchecked: the writer validates first, and the reader re-writes only content it has validated. */
export function writeBody(c: LicenseFileContent): string {
  const lines: string[] = [VERSION_LINE];
  const put = (name: string, value: string): void => {
    lines.push(value === '' ? `${name}:` : `${name}: ${value}`);
  };
  put('File-Id', c.fileId);
  if (c.revision !== undefined) put('Revision', String(c.revision));
  put('Account-Id', c.accountId);
  put('Install-Site-Id', c.installSiteId);
  put('License-Model', c.licenseModel);
  put('License-Type', c.licenseType);
  put('Product', c.product);
  put('Product-Version', c.productVersion);
  put('Generated-At', formatInstant(c.generatedAt));
  put('Expires-At', formatInstant(c.expiresAt));
  if (c.reRegisterBy !== undefined) put('Re-Register-By', formatInstant(c.reRegisterBy));
  put('Machine-Host-Id', c.machine.hostId);
  put('Machine-Name', c.machine.machineName);
  put('Machine-System-Type', c.machine.systemType);
  if (c.machine.mailConnector !== undefined) put('Machine-Mail-Connector', c.machine.mailConnector);
  put('Machine-Server-Item', c.machine.serverItem);
  if (c.switchover !== undefined) {
    put('Switchover-Host-Id', c.switchover.hostId);
    put('Switchover-Name', c.switchover.machineName);
    if (c.switchover.systemType !== undefined) put('Switchover-System-Type', c.switchover.systemType);
    put('Switchover-Server-Item', c.switchover.serverItem);
  }
  if (c.virtualCloud !== undefined) {
    put('Ramp-Date', formatInstant(c.virtualCloud.rampDate));
    put('Grace-Period-Days', String(c.virtualCloud.gracePeriodDays));
  }
  put('Keys', String(c.keys.length));
  for (const k of [...c.keys].sort(compareKeys)) lines.push(`${k.key} ${k.quantity}`);
  return `${lines.join('\n')}\n`;
}

/** The canonical unsigned text (everything the signature covers). Throws BAD_USER_INPUT on bad content. */
export function serializeLicenseFile(content: LicenseFileContent): string {
  const problem = contentProblem(content);
  if (problem) throw badInput(`Cannot write the licence file: ${problem.message}`, problem.field);
  return writeBody(content);
}

/** The download name the reference uses: `<machine name>.I3Lic`, made safe for any file system. */
export function licenseFileName(content: Pick<LicenseFileContent, 'machine'>): string {
  const safe = content.machine.machineName.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe}${LICENSE_FILE_EXTENSION}`;
}
