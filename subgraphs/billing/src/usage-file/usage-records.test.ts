import { DomainError } from '@lic/shared';
import { countSessions } from '../rules/session-counter.js';
import { decryptUsageFile, encryptUsageFile } from './usage-file-crypto.js';
import { type UsageRecord, decodeRecords, encodeRecords } from './usage-records.js';

const LICENSES = ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_RECORDER'];
const rec = (type: UsageRecord['type'], time: string, eventId: string, application: string): UsageRecord => ({
  type,
  userId: 'john.smith',
  licenses: LICENSES,
  occurredAt: new Date(`2020-06-04T${time}:00.000Z`),
  eventId,
  application,
});

const JOHN: UsageRecord[] = [
  rec('logon', '08:00', 'e1', 'ICBM'),
  rec('logon', '08:30', 'e2', 'Connect'),
  rec('logoff', '15:00', 'e3', 'ICBM'),
  rec('logon', '15:30', 'e4', 'Desktop'),
  rec('logoff', '16:00', 'e5', 'Connect'),
  rec('logoff', '16:30', 'e6', 'Desktop'),
];

describe('usage records', () => {
  it('round-trips as JSON lines', () => {
    const text = encodeRecords(JOHN);
    expect(text.split('\n')).toHaveLength(7);
    expect(text.split('\n')[0]).toBe(
      '{"type":"logon","userId":"john.smith","licenses":["I3_CLIENT_ACCESS","I3_ACCESS_ACD_MEDIA_1","I3_ACCESS_RECORDER"],' +
        '"occurredAt":"2020-06-04T08:00:00.000Z","eventId":"e1","application":"ICBM"}',
    );
    expect(decodeRecords(text)).toEqual(JOHN);
  });

  it('omits the optional application and reads CRLF and a missing final newline', () => {
    const { application: _application, ...bare } = JOHN[0] as UsageRecord;
    const text = encodeRecords([bare, bare]);
    expect(text).not.toContain('application');
    expect(decodeRecords(text.replace(/\n/g, '\r\n').trimEnd())).toEqual([bare, bare]);
    expect(decodeRecords('')).toEqual([]);
  });

  it('carries a telephone-only logon (billed as AGENT), written only when true', () => {
    const phone: UsageRecord = { ...(JOHN[0] as UsageRecord), licenses: [], telephoneOnly: true };
    const text = encodeRecords([phone, JOHN[1] as UsageRecord]);
    expect(text.split('\n')[0]).toContain('"telephoneOnly":true');
    expect(text.split('\n')[1]).not.toContain('telephoneOnly');
    expect(decodeRecords(text)).toEqual([phone, JOHN[1]]);
    const { telephoneOnly: _flag, ...bare } = phone;
    expect(decodeRecords(encodeRecords([{ ...bare, telephoneOnly: false }]))).toEqual([bare]);
  });

  it('feeds the session counter straight from a sealed file (John Smith)', () => {
    const sealed = encryptUsageFile(encodeRecords(JOHN), 'ab'.repeat(32), {
      serverId: 'srv-1',
      day: '2020-06-04',
      sequence: 1,
    });
    const records = decodeRecords(decryptUsageFile(sealed, 'ab'.repeat(32), 'srv-1').plaintext);
    const result = countSessions(records);
    expect(result.steps.map((s) => s.counter)).toEqual([1, 2, 1, 2, 1, 0]);
    expect(result.sessions.map((s) => [s.start.toISOString(), s.end?.toISOString()])).toEqual([
      ['2020-06-04T08:00:00.000Z', '2020-06-04T16:30:00.000Z'],
    ]);
  });

  const good = JSON.parse(encodeRecords([JOHN[0] as UsageRecord])) as Record<string, unknown>;
  const line = (patch: Record<string, unknown>) => JSON.stringify({ ...good, ...patch });

  it.each<[string, string, RegExp]>([
    ['not JSON', '{"type":', /line 2: not valid JSON/],
    ['an empty line', '', /line 2: not valid JSON/],
    ['an array', '[]', /not a JSON object/],
    ['a bad type', line({ type: 'login' }), /type must be/],
    ['a missing user', line({ userId: undefined }), /userId must be/],
    ['an empty event id', line({ eventId: '' }), /eventId must be/],
    ['licences not a list', line({ licenses: 'I3_CLIENT_ACCESS' }), /licenses must be/],
    ['a malformed licence key', line({ licenses: ['I3 CLIENT'] }), /licenses must be/],
    ['a local time', line({ occurredAt: '2020-06-04T08:00:00' }), /occurredAt must be/],
    ['an impossible day', line({ occurredAt: '2020-02-30T08:00:00Z' }), /occurredAt must be/],
    ['an epoch number', line({ occurredAt: 1591257600000 }), /occurredAt must be/],
    ['an unknown field', line({ status: 'Available' }), /unknown field\(s\) status/],
    ['telephoneOnly not a boolean', line({ telephoneOnly: 'yes' }), /telephoneOnly must be/],
  ])('refuses %s, naming the line', (_name, bad, message) => {
    const text = `${encodeRecords([JOHN[0] as UsageRecord])}${bad}\n${encodeRecords([JOHN[1] as UsageRecord])}`;
    expect(() => decodeRecords(text)).toThrow(DomainError);
    expect(() => decodeRecords(text)).toThrow(message);
  });

  it('will not encode an invalid record', () => {
    expect(() => encodeRecords([{ ...(JOHN[0] as UsageRecord), occurredAt: new Date('x') }])).toThrow(
      /#1: occurredAt/,
    );
  });
});
