import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { ManualClock } from '../clock/clock.js';
import { DomainError, ErrorCode } from '../errors/errors.js';
import {
  LICENSE_FILE_MAX_BYTES,
  type LicenseFileContent,
  generateSigningKeyPair,
  licenseFileName,
  parseLicenseFileUnverified,
  publicKeyFromPrivate,
  revisionOf,
  serializeLicenseFile,
  signLicenseFile,
  verifyLicenseFile,
} from './index.js';

const keys = generateSigningKeyPair();
const otherKeys = generateSigningKeyPair();
const beforeExpiry = new ManualClock('2021-01-01T00:00:00.000Z');

const production: LicenseFileContent = {
  fileId: 'af-0001',
  accountId: 'acc-42',
  installSiteId: 'site-7',
  licenseModel: 'PERPETUAL',
  licenseType: 'PRODUCTION',
  product: 'PureConnect CIC',
  productVersion: '2020 R1',
  generatedAt: new Date('2020-05-01T10:00:00.000Z'),
  expiresAt: new Date('2100-01-01T00:00:00.000Z'),
  machine: {
    hostId: '00-15-5D-01-02-03',
    machineName: 'CIC-Primary',
    systemType: 'Windows Server 2019',
    mailConnector: 'Microsoft Exchange',
    serverItem: 'SW-003-4.0-SV03 Advanced Production Server',
  },
  switchover: { hostId: '00-15-5D-01-02-04', machineName: 'CIC-Backup', serverItem: 'SW-003-4.0-SV03' },
  // Deliberately unsorted: the writer sorts.
  keys: [
    { key: 'I3_LICENSE_BASIC_STATION', quantity: 30 },
    { key: 'I3_ACCESS_CLIENT', quantity: 5 },
    { key: 'I3_ACCESS_CLIENT_CONCURRENT', quantity: 25 },
    { key: 'I3_FEATURE_SU_ALLOWED', quantity: 1 },
  ],
};

const virtualCloud: LicenseFileContent = {
  fileId: 'af-0002',
  accountId: 'acc-43',
  installSiteId: 'site-8',
  licenseModel: 'SUBSCRIPTION',
  licenseType: 'PRODUCTION',
  product: 'PureConnect CIC',
  productVersion: '2020 R2',
  generatedAt: new Date('2020-05-01T00:00:00.000Z'),
  expiresAt: new Date('2100-01-01T00:00:00.000Z'),
  reRegisterBy: new Date('2021-05-01T00:00:00.000Z'),
  machine: {
    hostId: '',
    machineName: 'cic01',
    systemType: 'Windows Server 2019',
    serverItem: 'Basic Server',
  },
  virtualCloud: { rampDate: new Date('2020-06-01T00:00:00.000Z'), gracePeriodDays: 7 },
  keys: [
    { key: 'I3_FEATURE_VIRTUAL_CLOUD', quantity: 1 },
    { key: 'I3_ACCESS_CLIENT', quantity: 5 },
  ],
};

function sorted(content: LicenseFileContent): LicenseFileContent {
  return { ...content, keys: [...content.keys].sort((a, b) => (a.key < b.key ? -1 : 1)) };
}

/** Signs arbitrary text, so that tests reach the field rules behind the signature check. */
function signRaw(body: string, privateKeyPem = keys.privateKeyPem): string {
  const signature = sign(null, Buffer.from(body, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64');
  return `${body}Signature: Ed25519 ${signature}\n`;
}

function caught(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

describe('licence file format', () => {
  it('writes the documented canonical text', () => {
    expect(serializeLicenseFile(virtualCloud)).toBe(
      [
        'I3LIC 1',
        'File-Id: af-0002',
        'Account-Id: acc-43',
        'Install-Site-Id: site-8',
        'License-Model: SUBSCRIPTION',
        'License-Type: PRODUCTION',
        'Product: PureConnect CIC',
        'Product-Version: 2020 R2',
        'Generated-At: 2020-05-01T00:00:00.000Z',
        'Expires-At: 2100-01-01T00:00:00.000Z',
        'Re-Register-By: 2021-05-01T00:00:00.000Z',
        'Machine-Host-Id:',
        'Machine-Name: cic01',
        'Machine-System-Type: Windows Server 2019',
        'Machine-Server-Item: Basic Server',
        'Ramp-Date: 2020-06-01T00:00:00.000Z',
        'Grace-Period-Days: 7',
        'Keys: 2',
        'I3_ACCESS_CLIENT 5',
        'I3_FEATURE_VIRTUAL_CLOUD 1',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['production with switchover', production],
    ['virtual cloud without host ID', virtualCloud],
  ])('round-trips a %s file', (_name, content) => {
    const signed = signLicenseFile(content, keys.privateKeyPem);
    expect(verifyLicenseFile(signed, keys.publicKeyPem, beforeExpiry)).toEqual(sorted(content));
    expect(verifyLicenseFile(Buffer.from(signed, 'utf8'), keys.publicKeyPem, beforeExpiry)).toEqual(
      sorted(content),
    );
    expect(parseLicenseFileUnverified(signed)).toEqual(sorted(content));
  });

  describe('revisions', () => {
    // A file's revision is signed: an older revision cannot pass for the current one.
    it('writes the revision right after the file id and reads it back', () => {
      const revised = { ...production, revision: 3 };
      const signed = signLicenseFile(revised, keys.privateKeyPem);
      expect(signed.split('\n').slice(1, 3)).toEqual(['File-Id: af-0001', 'Revision: 3']);
      const read = verifyLicenseFile(signed, keys.publicKeyPem, beforeExpiry);
      expect(read).toEqual(sorted(revised));
      expect(revisionOf(read)).toBe(3);
    });

    it('reads a file signed before revisions existed as revision 1', () => {
      const signed = signLicenseFile(production, keys.privateKeyPem);
      expect(signed).not.toMatch(/Revision:/);
      expect(revisionOf(verifyLicenseFile(signed, keys.publicKeyPem, beforeExpiry))).toBe(1);
    });

    it('signs each revision differently', () => {
      expect(signLicenseFile({ ...production, revision: 1 }, keys.privateKeyPem)).not.toBe(
        signLicenseFile({ ...production, revision: 2 }, keys.privateKeyPem),
      );
    });

    it.each([
      ['zero', 'Revision: 0'],
      ['zero-padded', 'Revision: 02'],
      ['negative', 'Revision: -2'],
      ['not a number', 'Revision: two'],
    ])('refuses a %s revision', (_name, line) => {
      const body = serializeLicenseFile(production).replace(
        'File-Id: af-0001\n',
        `File-Id: af-0001\n${line}\n`,
      );
      const error = caught(() => verifyLicenseFile(signRaw(body), keys.publicKeyPem, beforeExpiry));
      expect(error.code).toBe(ErrorCode.INVALID_LICENSE_FILE);
      expect(error.message).toMatch(/"Revision" must be a whole number from 1/);
    });

    it('refuses a revision out of place', () => {
      const body = serializeLicenseFile(production).replace(
        'Install-Site-Id: site-7\n',
        'Install-Site-Id: site-7\nRevision: 2\n',
      );
      const error = caught(() => verifyLicenseFile(signRaw(body), keys.publicKeyPem, beforeExpiry));
      expect(error.message).toMatch(/field "Revision" is repeated or out of order/);
    });

    it('refuses to write revision 0', () => {
      const error = caught(() => signLicenseFile({ ...production, revision: 0 }, keys.privateKeyPem));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.extensions['field']).toBe('revision');
    });
  });

  describe('subscription-only features', () => {
    // SPEC: usage tracking and virtual cloud each require a subscription agreement, so a PERPETUAL
    // file never holds I3_FEATURE_USAGE_TRACKING_* or I3_FEATURE_VIRTUAL_CLOUD.
    it.each([
      'I3_FEATURE_USAGE_TRACKING_UPLOAD',
      'I3_FEATURE_USAGE_TRACKING_LOCAL',
      'I3_FEATURE_USAGE_TRACKING',
    ])('refuses to read a perpetual file holding %s, even one signed before the rule', (key) => {
      const body = serializeLicenseFile({
        ...production,
        keys: [{ key: 'I3_ACCESS_CLIENT', quantity: 5 }],
      }).replace('Keys: 1\nI3_ACCESS_CLIENT 5\n', `Keys: 2\nI3_ACCESS_CLIENT 5\n${key} 1\n`);
      const error = caught(() => verifyLicenseFile(signRaw(body), keys.publicKeyPem, beforeExpiry));
      expect(error.code).toBe(ErrorCode.INVALID_LICENSE_FILE);
      expect(error.message).toMatch(new RegExp(`Keys hold ${key}, which requires a subscription`));
    });

    it('refuses to read a perpetual virtual-cloud file', () => {
      const body = serializeLicenseFile(virtualCloud).replace(
        'License-Model: SUBSCRIPTION',
        'License-Model: PERPETUAL',
      );
      const error = caught(() => verifyLicenseFile(signRaw(body), keys.publicKeyPem, beforeExpiry));
      expect(error.code).toBe(ErrorCode.INVALID_LICENSE_FILE);
      expect(error.message).toMatch(/I3_FEATURE_VIRTUAL_CLOUD, which requires a subscription/);
    });

    it('refuses to write one', () => {
      const content: LicenseFileContent = {
        ...production,
        keys: [...production.keys, { key: 'I3_FEATURE_USAGE_TRACKING_LOCAL', quantity: 1 }],
      };
      const error = caught(() => signLicenseFile(content, keys.privateKeyPem));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.extensions['field']).toBe('keys');
    });

    it('accepts them in a subscription file', () => {
      const content: LicenseFileContent = {
        ...production,
        licenseModel: 'SUBSCRIPTION',
        keys: [...production.keys, { key: 'I3_FEATURE_USAGE_TRACKING_UPLOAD', quantity: 1 }],
      };
      const signed = signLicenseFile(content, keys.privateKeyPem);
      expect(verifyLicenseFile(signed, keys.publicKeyPem, beforeExpiry).licenseModel).toBe('SUBSCRIPTION');
    });
  });

  it('round-trips non-ASCII text', () => {
    const content = { ...production, machine: { ...production.machine, machineName: 'Zürich-Büro 東京 😀' } };
    const signed = signLicenseFile(content, keys.privateKeyPem);
    expect(verifyLicenseFile(signed, keys.publicKeyPem, beforeExpiry).machine.machineName).toBe(
      'Zürich-Büro 東京 😀',
    );
  });

  it('is deterministic whatever order the keys come in', () => {
    const reversed = { ...production, keys: [...production.keys].reverse() };
    expect(signLicenseFile(reversed, keys.privateKeyPem)).toBe(
      signLicenseFile(production, keys.privateKeyPem),
    );
  });

  it('refuses every single-bit alteration of a signed file', () => {
    const signed = Buffer.from(signLicenseFile(production, keys.privateKeyPem), 'utf8');
    const accepted: string[] = [];
    for (let position = 0; position < signed.length; position += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const altered = Buffer.from(signed);
        altered[position] = (altered[position] ?? 0) ^ (1 << bit);
        try {
          verifyLicenseFile(altered, keys.publicKeyPem, beforeExpiry);
          accepted.push(`byte ${position} bit ${bit}`);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe(ErrorCode.INVALID_LICENSE_FILE);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses a file signed by another key', () => {
    const signed = signLicenseFile(production, otherKeys.privateKeyPem);
    const error = caught(() => verifyLicenseFile(signed, keys.publicKeyPem, beforeExpiry));
    expect(error.code).toBe(ErrorCode.INVALID_LICENSE_FILE);
    expect(error.message).toMatch(/signature does not match/);
  });

  it('refuses a file whose body was re-signed after editing with another key', () => {
    const body = serializeLicenseFile(production).replace('I3_ACCESS_CLIENT 5', 'I3_ACCESS_CLIENT 500');
    const error = caught(() =>
      verifyLicenseFile(signRaw(body, otherKeys.privateKeyPem), keys.publicKeyPem, beforeExpiry),
    );
    expect(error.code).toBe(ErrorCode.INVALID_LICENSE_FILE);
  });

  describe('expiry', () => {
    const trial: LicenseFileContent = {
      ...production,
      licenseType: 'TRIAL',
      generatedAt: new Date('2020-05-01T00:00:00.000Z'),
      expiresAt: new Date('2020-06-30T00:00:00.000Z'),
    };
    const signed = signLicenseFile(trial, keys.privateKeyPem);

    it('accepts the file until the instant it expires', () => {
      const clock = new ManualClock('2020-06-29T23:59:59.999Z');
      expect(verifyLicenseFile(signed, keys.publicKeyPem, clock).licenseType).toBe('TRIAL');
    });

    it.each(['2020-06-30T00:00:00.000Z', '2021-01-01T00:00:00.000Z'])('refuses it at %s', (now) => {
      const error = caught(() => verifyLicenseFile(signed, keys.publicKeyPem, new ManualClock(now)));
      expect(error.code).toBe(ErrorCode.LICENSE_FILE_EXPIRED);
      expect(error.message).toBe('Licence file af-0001 expired at 2020-06-30T00:00:00.000Z');
    });

    it('reads an expired file without verification for diagnostics', () => {
      expect(parseLicenseFileUnverified(signed).expiresAt).toEqual(trial.expiresAt);
    });
  });

  describe('malformed input', () => {
    const body = serializeLicenseFile(production);
    const signed = signRaw(body);
    const cases: Array<[string, string | Uint8Array, RegExp]> = [
      ['empty', '', /the file is empty/],
      [
        'over the size limit',
        'I3LIC 1\n' + 'x'.repeat(LICENSE_FILE_MAX_BYTES),
        /larger than the 1048576-byte limit/,
      ],
      [
        'over the limit only in UTF-8 bytes',
        `I3LIC 1\n${'é'.repeat(LICENSE_FILE_MAX_BYTES / 2)}`,
        /larger than the 1048576-byte limit/,
      ],
      [
        'not UTF-8',
        Buffer.concat([Buffer.from(signed.slice(0, 20)), Buffer.from([0xff, 0xfe])]),
        /not valid UTF-8/,
      ],
      ['with a byte-order mark', `\uFEFF${signed}`, /byte-order mark/],
      ['with CRLF line endings', signed.replace(/\n/g, '\r\n'), /carriage returns/],
      ['without a final line break', signed.slice(0, -1), /does not end with a line break/],
      ['not a licence file', 'hello\n', /not an activation file/],
      [
        'a newer format version',
        signRaw(body.replace('I3LIC 1', 'I3LIC 2')),
        /format version 2 is not supported/,
      ],
      [
        'a garbled version',
        signRaw(body.replace('I3LIC 1', 'I3LIC one')),
        /version "one" on line 1 is not a number/,
      ],
      ['unsigned', body, /signature line is missing/],
      ['signed with another algorithm', signed.replace('Ed25519', 'RSA'), /algorithm "RSA" is not supported/],
      [
        'with a mangled signature',
        signed.replace(/Signature: Ed25519 .*\n$/, 'Signature: Ed25519 abc\n'),
        /not a base64 Ed25519 signature/,
      ],
      [
        'with a stray signature word',
        signed.replace('Signature: Ed25519 ', 'Signature: '),
        /malformed signature line/,
      ],
      [
        'with an unknown field',
        signRaw(body.replace('Product: ', 'Colour: blue\nProduct: ')),
        /line 7: unknown field "Colour"/,
      ],
      [
        'with a missing field',
        signRaw(body.replace(/Product-Version: .*\n/, '')),
        /line 8: field "Generated-At" is repeated or out of order \(expected "Product-Version"\)/,
      ],
      [
        'with a repeated field',
        signRaw(body.replace('Product: PureConnect CIC\n', 'Product: PureConnect CIC\nProduct: X\n')),
        /line 8: field "Product" is repeated or out of order/,
      ],
      [
        'with an unknown licence type',
        signRaw(body.replace('License-Type: PRODUCTION', 'License-Type: FOREVER')),
        /"License-Type" must be one of PRODUCTION, /,
      ],
      [
        'with a bad date',
        signRaw(body.replace('2020-05-01T10:00:00.000Z', '2020-02-30T10:00:00.000Z')),
        /"Generated-At" must be a UTC instant/,
      ],
      [
        'with a local-time date',
        signRaw(body.replace('2020-05-01T10:00:00.000Z', '2020-05-01T10:00:00+02:00')),
        /"Generated-At" must be a UTC instant/,
      ],
      ['with an empty line', signRaw(body.replace('Product: ', '\nProduct: ')), /line 7: empty line/],
      [
        'with a trailing space',
        signRaw(body.replace('Product: PureConnect CIC', 'Product: PureConnect CIC ')),
        /"Product" must not start or end with whitespace/,
      ],
      [
        'with no space after the colon',
        signRaw(body.replace('Product: ', 'Product:')),
        /"Product:" must be followed by one space/,
      ],
      [
        'with a control character',
        signRaw(body.replace('CIC-Primary', 'CIC\u0007Primary')),
        /"Machine-Name" must not contain control characters/,
      ],
      [
        'with too few key lines',
        signRaw(body.replace('Keys: 4', 'Keys: 5')),
        /expected 5 key lines but the file ends after 4/,
      ],
      [
        'with too many key lines',
        signRaw(body.replace('Keys: 4', 'Keys: 3')),
        /unexpected line after the keys/,
      ],
      [
        'with a field after the keys',
        signRaw(`${body}Comment: hi\n`),
        /unknown field "Comment" after the keys/,
      ],
      [
        'with unsorted keys',
        signRaw(
          body.replace(
            'I3_ACCESS_CLIENT 5\nI3_ACCESS_CLIENT_CONCURRENT 25',
            'I3_ACCESS_CLIENT_CONCURRENT 25\nI3_ACCESS_CLIENT 5',
          ),
        ),
        /key I3_ACCESS_CLIENT is out of order/,
      ],
      [
        'with a repeated key',
        signRaw(body.replace('I3_ACCESS_CLIENT_CONCURRENT 25', 'I3_ACCESS_CLIENT 25')),
        /key I3_ACCESS_CLIENT appears twice/,
      ],
      [
        'with a zero quantity',
        signRaw(body.replace('I3_ACCESS_CLIENT 5', 'I3_ACCESS_CLIENT 0')),
        /quantity of I3_ACCESS_CLIENT must be a whole number from 1/,
      ],
      [
        'with a zero-padded quantity',
        signRaw(body.replace('I3_ACCESS_CLIENT 5', 'I3_ACCESS_CLIENT 05')),
        /quantity of I3_ACCESS_CLIENT/,
      ],
      [
        'with a lower-case key',
        signRaw(body.replace('I3_ACCESS_CLIENT 5', 'i3_access_client 5')),
        /"i3_access_client" is not a licence key/,
      ],
      [
        'with virtual-cloud terms but no virtual-cloud key',
        signRaw(
          body.replace('Keys: 4', 'Ramp-Date: 2020-06-01T00:00:00.000Z\nGrace-Period-Days: 7\nKeys: 4'),
        ),
        /Ramp-Date and Grace-Period-Days are allowed only in a file holding I3_FEATURE_VIRTUAL_CLOUD/,
      ],
      [
        'with an empty host ID in a perpetual file',
        signRaw(body.replace('Machine-Host-Id: 00-15-5D-01-02-03', 'Machine-Host-Id:')),
        /Machine-Host-Id may be empty only in a SUBSCRIPTION file holding I3_FEATURE_VIRTUAL_CLOUD/,
      ],
      [
        'expiring before it was generated',
        signRaw(body.replace('2100-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z')),
        /Expires-At must be later than Generated-At/,
      ],
    ];

    it.each(cases)('refuses a file %s', (_name, input, message) => {
      const error = caught(() => verifyLicenseFile(input, keys.publicKeyPem, beforeExpiry));
      expect(error.code).toBe(ErrorCode.INVALID_LICENSE_FILE);
      expect(error.message).toMatch(/^Invalid licence file: /);
      expect(error.message).toMatch(message);
    });

    it('refuses something that is not text at all', () => {
      const error = caught(() => verifyLicenseFile(42 as unknown as string, keys.publicKeyPem, beforeExpiry));
      expect(error.code).toBe(ErrorCode.INVALID_LICENSE_FILE);
    });

    it('parses an unsigned body without verification', () => {
      expect(parseLicenseFileUnverified(body)).toEqual(sorted(production));
    });
  });

  describe('writing', () => {
    const cases: Array<[string, LicenseFileContent, string, RegExp]> = [
      [
        'a repeated key',
        { ...production, keys: [...production.keys, { key: 'I3_ACCESS_CLIENT', quantity: 1 }] },
        'keys',
        /Keys list I3_ACCESS_CLIENT more than once/,
      ],
      [
        'a zero quantity',
        { ...production, keys: [{ key: 'I3_ACCESS_CLIENT', quantity: 0 }] },
        'keys.0.quantity',
        /Key I3_ACCESS_CLIENT must be a whole number from 1/,
      ],
      [
        'a fractional quantity',
        { ...production, keys: [{ key: 'I3_ACCESS_CLIENT', quantity: 1.5 }] },
        'keys.0.quantity',
        /whole number/,
      ],
      [
        'a bad key name',
        { ...production, keys: [{ key: 'I3 ACCESS', quantity: 1 }] },
        'keys.0.key',
        /"I3 ACCESS" is not a licence key/,
      ],
      [
        'a line break in a name',
        { ...production, machine: { ...production.machine, machineName: 'a\nb' } },
        'machine.machineName',
        /Machine-Name must not contain control characters or line breaks/,
      ],
      ['a lone surrogate', { ...production, product: 'CIC \ud800' }, 'product', /Product must not contain/],
      ['an empty product', { ...production, product: '' }, 'product', /Product must not be empty/],
      [
        'an ID with spaces',
        { ...production, fileId: 'af 1' },
        'fileId',
        /File-Id must be 1 to 128 printable ASCII/,
      ],
      [
        'an invalid date',
        { ...production, expiresAt: new Date('nope') },
        'expiresAt',
        /Expires-At must be a valid date/,
      ],
      [
        'a missing host ID',
        { ...production, machine: { ...production.machine, hostId: '' } },
        'machine.hostId',
        /may be empty only in a SUBSCRIPTION file/,
      ],
      [
        'a virtual-cloud key without terms',
        { ...virtualCloud, virtualCloud: undefined },
        'virtualCloud',
        /are required in a file holding I3_FEATURE_VIRTUAL_CLOUD/,
      ],
      [
        'a zero grace period',
        {
          ...virtualCloud,
          virtualCloud: { rampDate: new Date('2020-06-01T00:00:00.000Z'), gracePeriodDays: 0 },
        },
        'virtualCloud.gracePeriodDays',
        /Grace-Period-Days must be a whole number from 1/,
      ],
      [
        'a re-registration date after expiry',
        { ...production, reRegisterBy: new Date('2200-01-01T00:00:00.000Z') },
        'reRegisterBy',
        /Re-Register-By must be after Generated-At and not after Expires-At/,
      ],
    ];

    it.each(cases)('refuses content with %s as BAD_USER_INPUT', (_name, content, field, message) => {
      const error = caught(() => signLicenseFile(content, keys.privateKeyPem));
      expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
      expect(error.extensions['field']).toBe(field);
      expect(error.message).toMatch(message);
    });
  });

  describe('keys', () => {
    it('derives the public key from the private one', () => {
      expect(publicKeyFromPrivate(keys.privateKeyPem)).toBe(keys.publicKeyPem);
      const signed = signLicenseFile(production, keys.privateKeyPem);
      expect(verifyLicenseFile(signed, publicKeyFromPrivate(keys.privateKeyPem), beforeExpiry).fileId).toBe(
        'af-0001',
      );
    });

    it('refuses keys that are not Ed25519', () => {
      const rsa = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      expect(() => signLicenseFile(production, rsa.privateKey)).toThrow(/not a usable Ed25519 private key/);
      const signed = signLicenseFile(production, keys.privateKeyPem);
      expect(() => verifyLicenseFile(signed, rsa.publicKey)).toThrow(/not a usable Ed25519 public key/);
      expect(() => verifyLicenseFile(signed, 'not a key')).toThrow(/not a usable Ed25519 public key/);
    });
  });

  it('names the download after the machine', () => {
    expect(licenseFileName(production)).toBe('CIC-Primary.I3Lic');
    expect(licenseFileName({ machine: { ...production.machine, machineName: 'a/b c' } })).toBe('a_b_c.I3Lic');
  });
});
