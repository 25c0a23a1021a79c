import { Topics } from '@lic/shared';
import { describeEachDatabase } from '@lic/testing';
import { Harness } from '../../test/harness.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const ACD_1 = 'I3_ACCESS_ACD_MEDIA_1';
const BASIC = 'I3_LICENSE_BASIC_STATION';

/**
 * Billing categories come from the user's licences, not the station's ("A user's assigned
 * licenses establish the user as either an Agent or Business User"): the session events tell
 * billing which of the session's licences are the user's own.
 */
describeEachDatabase('session events carry the user’s own licences', (database) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ database });
  });
  afterAll(() => h.close());

  const payloadsOf = async (topic: string, userId: string) =>
    (await h.events(topic)).filter((e) => e.payload['userId'] === userId).map((e) => e.payload);

  it('a business user at a station holding ACD Media 1: the session has ACD Media 1, the user’s own licences do not', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 5,
      [`${ACD_1}_CONCURRENT`]: 5,
      [ACD_1]: 5,
      [BASIC]: 5,
    });
    const acdStation = await h.createStation(server, [BASIC, ACD_1]);
    const business = await h.createUser(server, [CLIENT]);
    await h.logon(server, { userId: business, stationId: acdStation });
    await h.logoff(server, { userId: business });

    const [started] = await payloadsOf(Topics.SessionStarted, business);
    expect(started).toMatchObject({
      licenses: [ACD_1, CLIENT, `${CLIENT}_CONCURRENT`, BASIC],
      userLicenses: [CLIENT, `${CLIENT}_CONCURRENT`],
    });
    const [ended] = await payloadsOf(Topics.SessionEnded, business);
    expect(ended).toMatchObject({ userLicenses: [CLIENT, `${CLIENT}_CONCURRENT`] });
  });

  it('an agent’s own ACD licence is among the user’s own licences; a licence left out of the session is not', async () => {
    const server = await h.serverWith({
      [`${CLIENT}_CONCURRENT`]: 5,
      [`${ACD_1}_CONCURRENT`]: 5,
      [BASIC]: 5,
    });
    const station = await h.createStation(server);
    const agent = await h.createUser(server, [CLIENT, ACD_1]);
    await h.logon(server, { userId: agent, stationId: station });
    const [started] = await payloadsOf(Topics.SessionStarted, agent);
    expect(started?.['userLicenses']).toEqual([ACD_1, `${ACD_1}_CONCURRENT`, CLIENT, `${CLIENT}_CONCURRENT`]);

    // The server has no Tracker pool: the licence is denied, so it is not billed either.
    const tracker = await h.createUser(server, [CLIENT, 'I3_ACCESS_TRACKER']);
    const logon = await h.logon(server, { userId: tracker, stationId: station });
    expect(logon.denied).toEqual(['I3_ACCESS_TRACKER_CONCURRENT']);
    const [trackerStarted] = await payloadsOf(Topics.SessionStarted, tracker);
    expect(trackerStarted?.['userLicenses']).toEqual([CLIENT, `${CLIENT}_CONCURRENT`]);
  });
});
