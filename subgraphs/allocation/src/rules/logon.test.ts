import { planLogon, type LogonDecision, type LogonInput, type LogonPlan } from './logon.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const CLIENT_C = 'I3_ACCESS_CLIENT_CONCURRENT';
const MEDIA_1 = 'I3_ACCESS_ACD_MEDIA_1';
const MEDIA_1_C = 'I3_ACCESS_ACD_MEDIA_1_CONCURRENT';
const BASIC = 'I3_LICENSE_BASIC_STATION';
const WORKGROUP_SUP = 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN';

const workstation = { kind: 'WORKSTATION' as const, licenses: [BASIC] };
const clientStation = { kind: 'WORKSTATION' as const, licenses: [BASIC, CLIENT] };

const base: LogonInput = {
  user: { allocationMethod: 'ASSIGNED', licenses: [CLIENT] },
  station: workstation,
  dynamicRemote: false,
  alreadyHeld: [],
  available: () => true,
  supervisorDisabled: false,
};

/** Pools with free licences: everything not listed is exhausted. */
const freeOnly =
  (...keys: string[]) =>
  (key: string): boolean =>
    keys.includes(key);

const expectPlan = (decision: LogonDecision): LogonPlan => {
  if (!decision.ok) throw new Error(`expected a plan, got ${decision.code}: ${decision.message}`);
  return decision;
};

describe('planLogon: guards in order', () => {
  it.each<[string, Partial<LogonInput>, string]>([
    ['assigned user with client access', {}, 'OK'],
    [
      'unknown allocation method',
      { user: { allocationMethod: 'X' as 'ASSIGNED', licenses: [CLIENT] } },
      'BAD_USER_INPUT',
    ],
    ['unknown station kind', { station: { kind: 'DESK' as 'WORKSTATION', licenses: [] } }, 'BAD_USER_INPUT'],
    ['dynamic remote at a workstation', { dynamicRemote: true, station: workstation }, 'BAD_USER_INPUT'],
    [
      'dynamic remote, Basic Station free',
      { dynamicRemote: true, station: null, user: { allocationMethod: 'ASSIGNED', licenses: [] } },
      'OK',
    ],
    [
      'dynamic remote, no Basic Station free',
      { dynamicRemote: true, station: null, available: freeOnly(CLIENT_C) },
      'DYNAMIC_REMOTE_REJECTED',
    ],
    [
      'configured dynamic remote station, no Basic Station free',
      { station: { kind: 'DYNAMIC_REMOTE', licenses: [] }, available: () => false },
      'DYNAMIC_REMOTE_REJECTED',
    ],
    [
      'dynamic remote rejection comes before client access',
      {
        dynamicRemote: true,
        station: null,
        user: { allocationMethod: 'ASSIGNED', licenses: [] },
        available: () => false,
      },
      'DYNAMIC_REMOTE_REJECTED',
    ],
    [
      'no client access anywhere',
      { user: { allocationMethod: 'ASSIGNED', licenses: [MEDIA_1] } },
      'CLIENT_ACCESS_UNAVAILABLE',
    ],
    [
      'client access from the station only',
      { user: { allocationMethod: 'ASSIGNED', licenses: [MEDIA_1] }, station: clientStation },
      'OK',
    ],
    [
      'client access, the reference spelling on the station',
      {
        user: { allocationMethod: 'ASSIGNED', licenses: [] },
        station: { kind: 'REMOTE', licenses: ['I3_CLIENT_ACCESS'] },
      },
      'OK',
    ],
    [
      'concurrent client access exhausted, none on the station',
      {
        user: { allocationMethod: 'CONCURRENT', licenses: [CLIENT, MEDIA_1] },
        available: freeOnly(MEDIA_1_C),
      },
      'CLIENT_ACCESS_UNAVAILABLE',
    ],
    [
      'concurrent client access exhausted but already held',
      {
        user: { allocationMethod: 'CONCURRENT', licenses: [CLIENT] },
        alreadyHeld: [CLIENT_C],
        available: () => false,
      },
      'OK',
    ],
    [
      'remote station without its own client access, the user holding it',
      { station: { kind: 'REMOTE', licenses: [BASIC] } },
      'CLIENT_ACCESS_UNAVAILABLE',
    ],
    [
      'remote station with its own client access',
      { station: { kind: 'REMOTE', licenses: [BASIC, CLIENT] } },
      'OK',
    ],
    [
      'telephone only, ACD Media 1 from the user, no client access',
      { telephoneOnly: true, user: { allocationMethod: 'ASSIGNED', licenses: [MEDIA_1] } },
      'OK',
    ],
    [
      'telephone only, ACD access from the station',
      {
        telephoneOnly: true,
        station: { kind: 'WORKSTATION', licenses: [BASIC, 'I3_ACCESS_ACD_MEDIA_3_PLUS'] },
      },
      'OK',
    ],
    [
      'telephone only, no ACD access (client access is no substitute)',
      { telephoneOnly: true },
      'CLIENT_ACCESS_UNAVAILABLE',
    ],
    [
      'telephone only, concurrent ACD Media 1 exhausted',
      {
        telephoneOnly: true,
        user: { allocationMethod: 'CONCURRENT', licenses: [MEDIA_1] },
        available: () => false,
      },
      'CLIENT_ACCESS_UNAVAILABLE',
    ],
    ['no station, assigned client access', { station: undefined }, 'OK'],
    [
      'no station, no client access',
      { station: undefined, user: { allocationMethod: 'ASSIGNED', licenses: [] } },
      'CLIENT_ACCESS_UNAVAILABLE',
    ],
  ])('%s → %s', (_label, patch, code) => {
    const decision = planLogon({ ...base, ...patch });
    expect(decision.ok ? 'OK' : decision.code).toBe(code);
  });
});

describe('planLogon: assigned users', () => {
  it('take nothing from pools: assigned licences were taken at assignment', () => {
    const available = jest.fn(() => true);
    const plan = expectPlan(
      planLogon({ ...base, user: { allocationMethod: 'ASSIGNED', licenses: [CLIENT, MEDIA_1] }, available }),
    );
    expect(plan).toMatchObject({ acquire: [], reuse: [], release: [], denied: [], warnings: [] });
    expect(plan.capabilities.sort()).toEqual([BASIC, CLIENT, MEDIA_1].sort());
    expect(available).not.toHaveBeenCalled();
  });

  it('get the union of user and station capabilities, with IPA inclusion', () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        user: { allocationMethod: 'ASSIGNED', licenses: [CLIENT, 'I3_ACCESS_IPA_PROCESS_MONITOR'] },
        station: { kind: 'WORKSTATION', licenses: [BASIC, MEDIA_1] },
      }),
    );
    expect(plan.capabilities.sort()).toEqual(
      [
        BASIC,
        CLIENT,
        MEDIA_1,
        'I3_ACCESS_IPA_DIRECT_ROUTED',
        'I3_ACCESS_IPA_GROUP_ROUTED',
        'I3_ACCESS_IPA_PROCESS_MONITOR',
      ].sort(),
    );
  });
});

describe('planLogon: concurrent users', () => {
  const concurrentUser = {
    allocationMethod: 'CONCURRENT' as const,
    licenses: [CLIENT, MEDIA_1, 'I3_ACCESS_TRACKER'],
  };

  it('acquire every configured licence at once, as _CONCURRENT twins', () => {
    const plan = expectPlan(planLogon({ ...base, user: concurrentUser }));
    expect(plan.acquire).toEqual([CLIENT_C, MEDIA_1_C, 'I3_ACCESS_TRACKER_CONCURRENT']);
    expect(plan.capabilities.sort()).toEqual([BASIC, CLIENT, MEDIA_1, 'I3_ACCESS_TRACKER'].sort());
  });

  it('reuse what they already hold: logging on again does not raise counts', () => {
    const available = jest.fn(() => true);
    const plan = expectPlan(
      planLogon({
        ...base,
        user: concurrentUser,
        alreadyHeld: [CLIENT_C, MEDIA_1_C, 'I3_ACCESS_TRACKER_CONCURRENT'],
        available,
      }),
    );
    expect(plan).toMatchObject({
      acquire: [],
      reuse: [CLIENT_C, MEDIA_1_C, 'I3_ACCESS_TRACKER_CONCURRENT'],
      release: [],
    });
    expect(available).not.toHaveBeenCalled();
  });

  it('match held keys whatever their spelling', () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        user: { allocationMethod: 'CONCURRENT', licenses: [CLIENT] },
        alreadyHeld: ['I3_CLIENT_ACCESS_CONCURRENT'],
      }),
    );
    expect(plan).toMatchObject({ acquire: [], reuse: [CLIENT_C] });
  });

  it('leave out and report what cannot be had', () => {
    const plan = expectPlan(planLogon({ ...base, user: concurrentUser, available: freeOnly(CLIENT_C) }));
    expect(plan.acquire).toEqual([CLIENT_C]);
    expect(plan.denied).toEqual([
      { key: MEDIA_1_C, reason: 'EXHAUSTED' },
      { key: 'I3_ACCESS_TRACKER_CONCURRENT', reason: 'EXHAUSTED' },
    ]);
    expect(plan.capabilities).not.toContain(MEDIA_1);
    expect(plan.warnings).toEqual([
      `No ${MEDIA_1_C} licence is available: it is left out of this session`,
      'No I3_ACCESS_TRACKER_CONCURRENT licence is available: it is left out of this session',
    ]);
  });

  it('take nothing for what the station already provides', () => {
    const plan = expectPlan(planLogon({ ...base, user: concurrentUser, station: clientStation }));
    expect(plan.acquire).toEqual([MEDIA_1_C, 'I3_ACCESS_TRACKER_CONCURRENT']);
    expect(plan.capabilities).toContain(CLIENT);
  });

  it('take nothing for an IPA level the station includes', () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        user: { allocationMethod: 'CONCURRENT', licenses: [CLIENT, 'I3_ACCESS_IPA_DIRECT_ROUTED'] },
        station: { kind: 'WORKSTATION', licenses: [BASIC, 'I3_ACCESS_IPA_GROUP_ROUTED'] },
      }),
    );
    expect(plan.acquire).toEqual([CLIENT_C]);
  });

  it('keep a held twin even where the station provides the licence', () => {
    const plan = expectPlan(
      planLogon({ ...base, user: concurrentUser, station: clientStation, alreadyHeld: [CLIENT_C] }),
    );
    expect(plan).toMatchObject({ reuse: [CLIENT_C], release: [] });
  });

  it('give back held session keys the new logon does not use', () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        user: { allocationMethod: 'CONCURRENT', licenses: [CLIENT] },
        alreadyHeld: [CLIENT_C, 'I3_ACCESS_TRACKER_CONCURRENT', BASIC, 'I3_ACCESS_RECORDER'],
      }),
    );
    // The plain key is an assignment's business, not the session's: it is left alone.
    expect(plan).toMatchObject({ reuse: [CLIENT_C], release: ['I3_ACCESS_TRACKER_CONCURRENT', BASIC] });
  });
});

describe('planLogon: dynamic remote', () => {
  const dynamic: Partial<LogonInput> = { dynamicRemote: true, station: null };

  it('takes a Basic Station and needs no client access', () => {
    const plan = expectPlan(
      planLogon({ ...base, ...dynamic, user: { allocationMethod: 'ASSIGNED', licenses: [MEDIA_1] } }),
    );
    expect(plan.acquire).toEqual([BASIC]);
    expect(plan.capabilities.sort()).toEqual([BASIC, MEDIA_1].sort());
  });

  it('reuses the Basic Station of a session it already has', () => {
    const plan = expectPlan(planLogon({ ...base, ...dynamic, alreadyHeld: [BASIC], available: () => false }));
    expect(plan).toMatchObject({ acquire: [], reuse: [BASIC] });
  });

  it("still acquires a concurrent user's licences", () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        ...dynamic,
        user: { allocationMethod: 'CONCURRENT', licenses: [CLIENT, MEDIA_1] },
      }),
    );
    expect(plan.acquire).toEqual([BASIC, CLIENT_C, MEDIA_1_C]);
  });

  it('refuses with DYNAMIC_REMOTE_REJECTED and the key', () => {
    expect(planLogon({ ...base, ...dynamic, available: () => false })).toMatchObject({
      ok: false,
      code: 'DYNAMIC_REMOTE_REJECTED',
      key: BASIC,
    });
  });
});

describe('planLogon: supervisor licences at enforcement stage 4', () => {
  const supervisor = {
    allocationMethod: 'CONCURRENT' as const,
    licenses: [CLIENT, WORKGROUP_SUP, 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN'],
  };

  it('are acquired while supervisors are enabled', () => {
    const plan = expectPlan(planLogon({ ...base, user: supervisor }));
    expect(plan.acquire).toEqual([
      CLIENT_C,
      `${WORKGROUP_SUP}_CONCURRENT`,
      'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN_CONCURRENT',
    ]);
  });

  it('are denied, not acquired, when disabled', () => {
    const available = jest.fn(() => true);
    const plan = expectPlan(planLogon({ ...base, user: supervisor, supervisorDisabled: true, available }));
    expect(plan.acquire).toEqual([CLIENT_C]);
    expect(plan.denied).toEqual([
      { key: `${WORKGROUP_SUP}_CONCURRENT`, reason: 'SUPERVISOR_DISABLED' },
      { key: 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN_CONCURRENT', reason: 'SUPERVISOR_DISABLED' },
    ]);
    expect(plan.capabilities).toEqual([BASIC, CLIENT]);
    expect(available).toHaveBeenCalledTimes(1);
    expect(plan.warnings).toEqual([
      `Supervisor licences are disabled by virtual cloud enforcement: ${WORKGROUP_SUP}, I3_ACCESS_DIALER_SUPERVISOR_PLUGIN left out of this session`,
    ]);
  });

  it('held ones are released rather than reused', () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        user: supervisor,
        supervisorDisabled: true,
        alreadyHeld: [CLIENT_C, `${WORKGROUP_SUP}_CONCURRENT`],
      }),
    );
    expect(plan).toMatchObject({ reuse: [CLIENT_C], release: [`${WORKGROUP_SUP}_CONCURRENT`] });
  });

  it('assigned ones on the user or the station are left out of the session', () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        user: { allocationMethod: 'ASSIGNED', licenses: [CLIENT, WORKGROUP_SUP] },
        station: {
          kind: 'WORKSTATION',
          licenses: [BASIC, WORKGROUP_SUP, 'I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN'],
        },
        supervisorDisabled: true,
      }),
    );
    expect(plan.denied).toEqual([
      { key: WORKGROUP_SUP, reason: 'SUPERVISOR_DISABLED' },
      { key: 'I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN', reason: 'SUPERVISOR_DISABLED' },
    ]);
    expect(plan.capabilities.sort()).toEqual([BASIC, CLIENT].sort());
  });
});

describe('planLogon: ACD media', () => {
  it('limits queued types to the level of the union and warns', () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        user: { allocationMethod: 'ASSIGNED', licenses: [CLIENT] },
        station: { kind: 'WORKSTATION', licenses: [BASIC, MEDIA_1] },
        acd: { queuedTypes: ['CALL', 'EMAIL'] },
      }),
    );
    expect(plan.queuedTypes).toEqual(['CALL']);
    expect(plan.warnings).toEqual([
      'ACD media licence MEDIA_1 allows 1 interaction type: EMAIL will not be queued to this user',
    ]);
  });

  it('uses the level actually acquired, not the one configured', () => {
    const plan = expectPlan(
      planLogon({
        ...base,
        user: { allocationMethod: 'CONCURRENT', licenses: [CLIENT, 'I3_ACCESS_ACD_MEDIA_3_PLUS'] },
        available: freeOnly(CLIENT_C),
        acd: { queuedTypes: ['CALL'] },
      }),
    );
    expect(plan.queuedTypes).toEqual([]);
    expect(plan.warnings).toHaveLength(2);
  });

  it('omits queuedTypes when not asked', () => {
    expect(expectPlan(planLogon(base)).queuedTypes).toBeUndefined();
  });
});

describe('planLogon: telephone-only logons (phone-only ACD agents)', () => {
  const agent = { allocationMethod: 'CONCURRENT' as const, licenses: [CLIENT, MEDIA_1] };

  it('takes ACD access but no client access, and says which key a refusal lacks', () => {
    const plan = expectPlan(planLogon({ ...base, telephoneOnly: true, user: agent }));
    expect(plan.acquire).toEqual([MEDIA_1_C]);
    expect(plan.capabilities.sort()).toEqual([MEDIA_1, BASIC].sort());
    const refused = planLogon({ ...base, telephoneOnly: true, user: { ...agent, licenses: [CLIENT] } });
    expect(refused).toMatchObject({ ok: false, code: 'CLIENT_ACCESS_UNAVAILABLE', key: MEDIA_1 });
  });

  it('keeps the client access a client session of the user already holds (no release)', () => {
    const plan = expectPlan(
      planLogon({ ...base, telephoneOnly: true, user: agent, alreadyHeld: [CLIENT_C, MEDIA_1_C] }),
    );
    expect(plan.reuse.sort()).toEqual([CLIENT_C, MEDIA_1_C].sort());
    expect(plan.release).toEqual([]);
  });
});
