import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { billingPeriodStarting } from '../rules/billing-period.js';
import { fileMode, segmentsOfDay } from './file-segments.js';
import { uploadStatus } from './upload-status.js';
import { resolveUsageFileKey } from './usage-file-key.js';
import { fileStartFor } from './usage-file.service.js';

const DAY = 18_386; // 2020-05-04
const at = (hhmm: string) => Date.parse(`2020-05-04T${hhmm}:00.000Z`);
const dayStart = at('00:00');

describe('segmentsOfDay', () => {
  it('is one file for a day without restarts', () => {
    expect(segmentsOfDay(DAY, at('08:00'), [])).toEqual([
      { sequence: 1, start: dayStart, end: at('00:00') + 86_400_000 },
    ]);
    expect(segmentsOfDay(DAY, null, [])).toEqual([]);
  });

  it('starts a new file at each restart; the first exists only if it holds a record', () => {
    expect(
      segmentsOfDay(DAY, at('08:00'), [at('12:00'), at('18:00')]).map((s) => [s.sequence, s.start, s.end]),
    ).toEqual([
      [1, dayStart, at('12:00')],
      [2, at('12:00'), at('18:00')],
      [3, at('18:00'), dayStart + 86_400_000],
    ]);
    expect(segmentsOfDay(DAY, at('13:00'), [at('12:00')]).map((s) => s.sequence)).toEqual([2]);
    expect(segmentsOfDay(DAY, null, [dayStart]).map((s) => [s.sequence, s.start])).toEqual([[1, dayStart]]);
  });

  it('takes the mode in force when the file starts, or when tracking began in it', () => {
    const windows = [{ from: at('10:00'), to: null, mode: 'MANUAL' as const }];
    expect(fileMode(windows, dayStart, dayStart + 86_400_000)).toBe('MANUAL');
    expect(fileMode(windows, at('11:00'), at('12:00'))).toBe('MANUAL');
    expect(fileMode(windows, dayStart, at('09:00'))).toBe('NONE');
  });

  it('maps an uploaded file to our file by its sequence, or by its first record', () => {
    const record = (hhmm: string) => ({
      type: 'logon' as const,
      userId: 'u',
      licenses: [],
      occurredAt: new Date(at(hhmm)),
      eventId: hhmm,
    });
    expect(fileStartFor(dayStart, 2, [at('12:00')], [])).toBe(at('12:00'));
    expect(fileStartFor(dayStart, 3, [at('12:00')], [record('13:00')])).toBe(at('12:00'));
    expect(fileStartFor(dayStart, 2, [], [])).toBe(dayStart);
  });
});

describe('upload deadline status', () => {
  const april = billingPeriodStarting(new Date('2020-04-28T00:00:00Z'));
  const when = (iso: string) => Date.parse(iso);

  it.each<[string, Array<number | null>, string, string, boolean]>([
    ['no files', [], '2020-06-10T00:00:00Z', 'NO_USAGE', false],
    [
      'all uploaded before the deadline',
      [when('2020-05-29T00:00:00Z')],
      '2020-06-10T00:00:00Z',
      'ON_TIME',
      false,
    ],
    ['uploaded on June 4th itself', [when('2020-06-04T23:59:59Z')], '2020-06-10T00:00:00Z', 'ON_TIME', false],
    ['not uploaded, on June 4th', [null], '2020-06-04T12:00:00Z', 'PENDING', false],
    ['not uploaded, June 5th', [null], '2020-06-05T00:00:00Z', 'MISSING', true],
    ['uploaded June 5th', [when('2020-06-05T00:00:00Z')], '2020-06-10T00:00:00Z', 'LATE', true],
    [
      'one missing among late ones',
      [when('2020-06-06T00:00:00Z'), null],
      '2020-06-10T00:00:00Z',
      'MISSING',
      true,
    ],
  ])('%s → %s', (_name, uploads, now, state, flagged) => {
    expect(
      uploadStatus(
        april,
        uploads.map((uploadedAt) => ({ uploadedAt })),
        Date.parse(now),
      ),
    ).toMatchObject({ state, flagged });
  });
});

describe('resolveUsageFileKey', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'usage-key-'));
    dirs.push(d);
    return d;
  };

  it('uses USAGE_FILE_KEY when set', () => {
    const key = 'ab'.repeat(32);
    expect(
      resolveUsageFileKey({ usageFileKeyHex: key.toUpperCase(), dataDir: dir(), env: 'production' }),
    ).toBe(key);
  });

  it('makes a development key on first start and keeps it', () => {
    const dataDir = dir();
    const first = resolveUsageFileKey({ usageFileKeyHex: undefined, dataDir, env: 'development' });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dataDir, 'usage-file.key'), 'utf8').trim()).toBe(first);
    expect(resolveUsageFileKey({ usageFileKeyHex: undefined, dataDir, env: 'development' })).toBe(first);
  });

  it('refuses to make one in production', () => {
    expect(() =>
      resolveUsageFileKey({ usageFileKeyHex: undefined, dataDir: dir(), env: 'production' }),
    ).toThrow(/USAGE_FILE_KEY/);
  });
});
