import { Topics } from '@lic/shared';
import { WEBHOOK_SOURCE_TOPICS, WebhookEventType, webhookBody, webhookMessageOf } from './event-types.js';

const event = (topic: string, payload: Record<string, unknown>) => ({
  id: 'e-1',
  topic,
  source: 'test',
  occurredAt: '2026-12-07T09:00:00.000Z',
  payload,
});

describe('the alert event types', () => {
  const exhausted = {
    accountId: 'acc-1',
    serverId: 'srv-1',
    licenseKey: 'I3_ACCESS_CLIENT_CONCURRENT',
    limit: 1,
    inUse: 1,
    denied: 1,
    totalDenials: 1,
    exhaustedAt: '2026-12-07T09:00:00.000Z',
  };
  const burst = {
    accountId: 'acc-1',
    serverId: 'srv-1',
    licenseKey: 'I3_ACCESS_CLIENT_CONCURRENT',
    denials: 3,
    threshold: 3,
    windowSeconds: 60,
    since: '2026-12-07T08:59:58.000Z',
    detectedAt: '2026-12-07T09:00:00.000Z',
  };
  const overdue = {
    accountId: 'acc-2',
    serverId: 'srv-2',
    state: 'LATE',
    periodStart: '2026-10-28T00:00:00.000Z',
    periodEnd: '2026-11-28T00:00:00.000Z',
    uploadDeadline: '2026-12-04T00:00:00.000Z',
    files: 31,
    missingFiles: 0,
    lateFiles: 3,
    detectedAt: '2026-12-05T00:10:00.000Z',
  };

  it('the worker consumes their topics', () => {
    expect(WEBHOOK_SOURCE_TOPICS).toEqual(
      expect.arrayContaining([Topics.PoolExhausted, Topics.DenialBurst, Topics.UsageUploadOverdue]),
    );
  });

  it.each([
    [Topics.PoolExhausted, exhausted, WebhookEventType.POOL_EXHAUSTED, 'pool.exhausted'],
    [Topics.DenialBurst, burst, WebhookEventType.DENIAL_BURST, 'pool.denial_burst'],
    [Topics.UsageUploadOverdue, overdue, WebhookEventType.USAGE_UPLOAD_OVERDUE, 'usage.upload_overdue'],
  ] as const)('%s becomes %s for its account, the whole payload as data', (topic, payload, type, wire) => {
    const message = webhookMessageOf(event(topic, payload));
    expect(message).toEqual({ accountId: payload.accountId, type, data: payload });
    expect(JSON.parse(webhookBody(type, '2026-12-07T09:00:00.000Z', payload))).toEqual({
      type: wire,
      timestamp: '2026-12-07T09:00:00.000Z',
      data: payload,
    });
  });

  it('a malformed payload is not sent', () => {
    expect(webhookMessageOf(event(Topics.PoolExhausted, { ...exhausted, inUse: -1 }))).toBeUndefined();
    expect(
      webhookMessageOf(event(Topics.UsageUploadOverdue, { ...overdue, state: 'ON_TIME' })),
    ).toBeUndefined();
  });
});
