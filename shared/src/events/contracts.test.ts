import { parsePayload } from './contracts.js';
import { Topics } from './types.js';

const started = {
  sessionId: 's-1',
  serverId: 'srv-1',
  accountId: 'acc-1',
  userId: 'u-1',
  stationId: 'st-1',
  application: 'Interaction Connect',
  licenses: ['I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_CLIENT', 'I3_LICENSE_BASIC_STATION'],
  occurredAt: '2026-12-06T09:00:00.000Z',
};
const ended = { ...started, cause: 'LOGOFF' };

describe('session event contracts: the user’s own licences and telephone-only logons', () => {
  it('accepts events of older producers, without them', () => {
    expect(parsePayload(Topics.SessionStarted, started).ok).toBe(true);
    expect(parsePayload(Topics.SessionEnded, ended).ok).toBe(true);
  });

  it('accepts the user’s own licences on both events, and the telephone-only flag on a logon', () => {
    const own = { userLicenses: ['I3_ACCESS_CLIENT', 'I3_ACCESS_CLIENT_CONCURRENT'] };
    expect(parsePayload(Topics.SessionStarted, { ...started, ...own, telephoneOnly: true })).toMatchObject({
      ok: true,
      value: { ...own, telephoneOnly: true },
    });
    expect(parsePayload(Topics.SessionEnded, { ...ended, ...own })).toMatchObject({ ok: true, value: own });
  });

  it.each([
    ['a key with a space', { userLicenses: ['I3 ACCESS'] }, 'userLicenses.0'],
    ['an empty key', { userLicenses: [''] }, 'userLicenses.0'],
    ['not a list', { userLicenses: 'I3_ACCESS_CLIENT' }, 'userLicenses'],
    ['more than 500 keys', { userLicenses: Array.from({ length: 501 }, (_, i) => `K${i}`) }, 'userLicenses'],
    ['a telephone-only flag that is not a boolean', { telephoneOnly: 'yes' }, 'telephoneOnly'],
  ])('refuses %s, naming the field', (_name, patch, field) => {
    const result = parsePayload(Topics.SessionStarted, { ...started, ...patch });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(`${field}:`);
  });
});

describe('the partner-customers announcement', () => {
  const good = { partnerAccountId: 'p1', customerAccountIds: ['c1', 'c2'], asOf: '2026-01-01T00:00:00Z' };

  it('accepts a partner’s whole set (empty too: it no longer sold to anyone)', () => {
    expect(parsePayload(Topics.PartnerCustomersChanged, good)).toEqual({ ok: true, value: good });
    expect(parsePayload(Topics.PartnerCustomersChanged, { ...good, customerAccountIds: [] }).ok).toBe(true);
  });

  it.each([
    ['asOf', { ...good, asOf: 'yesterday' }],
    ['partnerAccountId', { ...good, partnerAccountId: '' }],
    ['customerAccountIds', { ...good, customerAccountIds: 'c1' }],
    ['customerAccountIds.0', { ...good, customerAccountIds: [''] }],
  ])('refuses a malformed %s', (field, payload) => {
    const result = parsePayload(Topics.PartnerCustomersChanged, payload);
    expect(result.ok ? '' : result.reason).toContain(`${field}:`);
  });
});

describe('the alert events (pool exhausted, denial burst, usage upload overdue)', () => {
  const exhausted = {
    accountId: 'acc-1',
    serverId: 'srv-1',
    licenseKey: 'I3_ACCESS_CLIENT_CONCURRENT',
    limit: 5,
    inUse: 5,
    denied: 1,
    totalDenials: 12,
    exhaustedAt: '2026-12-07T09:00:00.000Z',
  };
  const burst = {
    accountId: 'acc-1',
    serverId: 'srv-1',
    licenseKey: 'I3_ACCESS_CLIENT_CONCURRENT',
    denials: 10,
    threshold: 10,
    windowSeconds: 300,
    since: '2026-12-07T08:56:00.000Z',
    detectedAt: '2026-12-07T09:00:00.000Z',
  };
  const overdue = {
    accountId: 'acc-1',
    serverId: 'srv-1',
    state: 'MISSING',
    periodStart: '2026-10-28T00:00:00.000Z',
    periodEnd: '2026-11-28T00:00:00.000Z',
    uploadDeadline: '2026-12-04T00:00:00.000Z',
    files: 31,
    missingFiles: 2,
    lateFiles: 0,
    detectedAt: '2026-12-05T00:10:00.000Z',
  };

  it('accepts what the producers write (an uncapped pool has no limit)', () => {
    expect(parsePayload(Topics.PoolExhausted, exhausted)).toEqual({ ok: true, value: exhausted });
    expect(parsePayload(Topics.PoolExhausted, { ...exhausted, limit: null }).ok).toBe(true);
    expect(parsePayload(Topics.DenialBurst, burst)).toEqual({ ok: true, value: burst });
    expect(parsePayload(Topics.UsageUploadOverdue, overdue)).toEqual({ ok: true, value: overdue });
  });

  it.each([
    [Topics.PoolExhausted, { ...exhausted, licenseKey: 'I3 ACCESS' }, 'licenseKey'],
    [Topics.PoolExhausted, { ...exhausted, denied: 0 }, 'denied'],
    [Topics.DenialBurst, { ...burst, since: 'earlier' }, 'since'],
    [Topics.DenialBurst, { ...burst, windowSeconds: 0 }, 'windowSeconds'],
    [Topics.UsageUploadOverdue, { ...overdue, state: 'ON_TIME' }, 'state'],
    [Topics.UsageUploadOverdue, { ...overdue, accountId: '' }, 'accountId'],
  ] as const)('%s: refuses a malformed payload, naming the field', (topic, payload, field) => {
    const result = parsePayload(topic, payload);
    expect(result.ok ? '' : result.reason).toContain(`${field}:`);
  });
});
