import { parsePayload } from './contracts.js';
import { Topics } from './types.js';

describe('event contracts', () => {
  const started = {
    sessionId: 's1',
    serverId: 'srv',
    accountId: 'acc',
    userId: 'u1',
    stationId: null,
    application: 'Telephone',
    licenses: ['I3_ACCESS_ACD_MEDIA_1'],
    occurredAt: '2024-03-01T08:00:00.000Z',
  };

  it('a session started from the telephone says so; the flag is optional and must be a boolean', () => {
    expect(parsePayload(Topics.SessionStarted, started).ok).toBe(true);
    const phone = parsePayload(Topics.SessionStarted, { ...started, telephoneOnly: true });
    expect(phone).toEqual({ ok: true, value: { ...started, telephoneOnly: true } });
    expect(parsePayload(Topics.SessionStarted, { ...started, telephoneOnly: 'yes' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('telephoneOnly'),
    });
  });
});
