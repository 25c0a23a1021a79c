import { DomainError, ErrorCode } from '@lic/shared';
import {
  type UsageFileProblem,
  decryptUsageFile,
  encryptUsageFile,
  readUsageFileHeader,
} from './usage-file-crypto.js';

const KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const OTHER_KEY = 'ff'.repeat(32);
const META = { serverId: 'srv-1', day: '2020-06-04', sequence: 1 };
const PLAIN = '{"type":"logon","userId":"u1"}\n'.repeat(6);

/** The refusal reason, or 'ACCEPTED' when the file opened. */
function outcome(
  text: string,
  key = KEY,
  expected?: Parameters<typeof decryptUsageFile>[2],
): UsageFileProblem | 'ACCEPTED' {
  try {
    decryptUsageFile(text, key, expected);
    return 'ACCEPTED';
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== ErrorCode.BAD_USER_INPUT) throw error;
    return error.extensions['reason'] as UsageFileProblem;
  }
}

describe('round trip', () => {
  it('opens what it sealed, with its header', () => {
    const sealed = encryptUsageFile(PLAIN, KEY, META);
    const opened = decryptUsageFile(sealed, KEY, 'srv-1');
    expect(opened.plaintext.toString('utf8')).toBe(PLAIN);
    expect(opened.meta).toEqual({
      serverId: 'srv-1',
      fileName: 'srv-1_20200604_001.usg',
      day: '2020-06-04',
      sequence: 1,
    });
    expect(readUsageFileHeader(sealed)).toEqual(opened.meta);
  });

  it('handles binary and empty payloads, a Date day and a custom file name', () => {
    const bytes = Buffer.from([0, 255, 10, 13, 128]);
    const sealed = encryptUsageFile(bytes, KEY, {
      ...META,
      day: new Date('2020-06-04T18:00:00Z'),
      fileName: 'x.usg',
    });
    expect(decryptUsageFile(sealed, KEY, { serverId: 'srv-1', fileName: 'x.usg' }).plaintext).toEqual(bytes);
    expect(decryptUsageFile(encryptUsageFile('', KEY, META), KEY).plaintext).toHaveLength(0);
  });

  it('uses a fresh IV each time', () => {
    expect(encryptUsageFile(PLAIN, KEY, META)).not.toBe(encryptUsageFile(PLAIN, KEY, META));
  });

  it('survives CRLF line endings, a byte-order mark and a lost final newline', () => {
    const sealed = encryptUsageFile(PLAIN, KEY, META);
    expect(outcome(`\uFEFF${sealed.replace(/\n/g, '\r\n')}`)).toBe('ACCEPTED');
    expect(outcome(sealed.trimEnd())).toBe('ACCEPTED');
  });

  it('is text with a readable header', () => {
    const lines = encryptUsageFile(PLAIN, KEY, META).split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '-----BEGIN LIC USAGE FILE-----',
      'Version: 1',
      'Server-Id: srv-1',
      'File-Name: srv-1_20200604_001.usg',
      'Day: 2020-06-04',
      'Sequence: 1',
    ]);
    expect(lines.every((line) => line.length <= 76)).toBe(true);
  });
});

/** The same envelope with its base64 wrapped at `width` characters a line. */
function rewrap(text: string, width: number): string {
  const [head = '', rest = ''] = text.split('\n\n');
  const lines = rest.split('\n');
  const endAt = lines.indexOf('-----END LIC USAGE FILE-----');
  const wrapped =
    lines
      .slice(0, endAt)
      .join('')
      .match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  return [head, '', ...wrapped, ...lines.slice(endAt)].join('\n');
}

describe('refusals', () => {
  const sealed = encryptUsageFile(PLAIN, KEY, META);

  it('has a payload long enough to wrap (so the wrapping tests mean something)', () => {
    expect(rewrap(sealed, 76)).toBe(sealed);
    expect(rewrap(sealed, 64)).not.toBe(sealed);
  });

  it.each([0x01, 0x02, 0x20, 0x40, 0x80])('refuses the file with any byte flipped (mask 0x%s)', (mask) => {
    const bytes = Buffer.from(sealed, 'utf8');
    const accepted: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const flipped = Buffer.from(bytes);
      flipped[i] = (flipped[i] ?? 0) ^ mask;
      if (outcome(flipped.toString('utf8')) === 'ACCEPTED') accepted.push(i);
    }
    expect(accepted).toEqual([]);
  });

  it('says a file cut short anywhere is truncated', () => {
    const reasons = new Set<string>();
    // Dropping only the final newline loses nothing (tested above).
    for (let n = 1; n < sealed.length - 1; n++) reasons.add(outcome(sealed.slice(0, n)));
    expect([...reasons]).toEqual(['TRUNCATED']);
  });

  it('refuses a file sealed with another key as foreign', () => {
    expect(outcome(sealed, OTHER_KEY)).toBe('FOREIGN_KEY');
    expect(() => decryptUsageFile(sealed, OTHER_KEY)).toThrow(/different key/);
  });

  it('does not trust a key id copied into the header', () => {
    const otherKid = encryptUsageFile(PLAIN, OTHER_KEY, META).split('\n')[6];
    const forged = sealed
      .split('\n')
      .map((line, i) => (i === 6 ? otherKid : line))
      .join('\n');
    expect(outcome(forged, OTHER_KEY)).toBe('CORRUPTED');
  });

  it('refuses a file from another server', () => {
    expect(outcome(sealed, KEY, 'srv-2')).toBe('WRONG_SERVER');
    expect(outcome(sealed, KEY, { serverId: 'srv-2' })).toBe('WRONG_SERVER');
    expect(() => decryptUsageFile(sealed, KEY, 'srv-2')).toThrow(
      'belongs to server srv-1, not to server srv-2',
    );
  });

  it('refuses a header moved to another server, day or name (the header is authenticated)', () => {
    expect(outcome(sealed.replace('Server-Id: srv-1', 'Server-Id: srv-2'), KEY, 'srv-2')).toBe('CORRUPTED');
    expect(outcome(sealed.replace('Day: 2020-06-04', 'Day: 2020-06-05'))).toBe('CORRUPTED');
    expect(outcome(sealed.replace('File-Name: srv-1_20200604_001', 'File-Name: srv-1_20200604_002'))).toBe(
      'CORRUPTED',
    );
    const otherHeader = encryptUsageFile(PLAIN, KEY, { ...META, sequence: 2 }).split('\n\n')[0];
    expect(outcome(`${otherHeader}\n\n${sealed.split('\n\n')[1]}`)).toBe('CORRUPTED');
  });

  it('refuses a file uploaded under another name when the name is checked', () => {
    expect(outcome(sealed, KEY, { fileName: 'srv-1_20200604_002.usg' })).toBe('RENAMED');
  });

  it.each<[string, string, UsageFileProblem]>([
    ['empty', '', 'NOT_A_USAGE_FILE'],
    ['plain JSON', PLAIN, 'NOT_A_USAGE_FILE'],
    ['a later format', sealed.replace('Version: 1', 'Version: 2'), 'UNSUPPORTED_VERSION'],
    ['text after the end marker', `${sealed}more\n`, 'CORRUPTED'],
    ['two files glued together', `${sealed}${sealed}`, 'CORRUPTED'],
    ['a payload wrapped at another width', rewrap(sealed, 64), 'CORRUPTED'],
    ['a header field missing', sealed.replace('Day: 2020-06-04\n', ''), 'CORRUPTED'],
  ])('refuses %s', (_name, text, reason) => {
    expect(outcome(text)).toBe(reason);
  });

  it('refuses an oversized upload before reading it', () => {
    expect(outcome('x'.repeat(32 * 1024 * 1024 + 1))).toBe('TOO_LARGE');
  });

  it('treats a malformed key as a deployment fault, not bad input', () => {
    expect(() => decryptUsageFile(sealed, 'abc')).toThrow(Error);
    expect(() => decryptUsageFile(sealed, 'abc')).not.toThrow(DomainError);
  });

  it.each([
    ['a day that does not exist', { ...META, day: '2020-02-30' }],
    ['sequence 0', { ...META, sequence: 0 }],
    ['a server id with a line break', { ...META, serverId: 'srv\nX-Evil: 1' }],
    ['a file name with a path', { ...META, fileName: '../etc/passwd' }],
  ])('will not seal %s', (_name, meta) => {
    expect(() => encryptUsageFile(PLAIN, KEY, meta)).toThrow(DomainError);
  });
});
