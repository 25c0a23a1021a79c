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
