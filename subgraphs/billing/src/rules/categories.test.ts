import { DomainError } from '@lic/shared';
import {
  AddOnCategory,
  CATEGORY_MAPPING_2020R1,
  CATEGORY_MAPPING_2020R1_2,
  CURRENT_CATEGORY_MAPPING,
  type CategoryMapping,
  canonicalLicenseKey,
  categoryMappingVersion,
  classifySession,
} from './categories.js';

describe('classifySession (mapping 2020R1)', () => {
  it.each([
    ['Tina (client access only)', ['I3_CLIENT_ACCESS'], ['BUSINESS_USER']],
    ['Sam (client access + ACD media 1)', ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1'], ['AGENT']],
    [
      'Jane (client access, media 1, media 3 plus, feedback)',
      ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_ACD_MEDIA_3_PLUS', 'I3_ACCESS_FEEDBACK'],
      ['AGENT', 'FEEDBACK', 'MULTI_CHANNEL'],
    ],
    [
      'John Smith (client access, media 1, recorder)',
      ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_RECORDER'],
      ['AGENT', 'RECORDER'],
    ],
    ['the other client-access spelling', ['I3_ACCESS_CLIENT'], ['BUSINESS_USER']],
    ['concurrent client access', ['I3_ACCESS_CLIENT_CONCURRENT'], ['BUSINESS_USER']],
    ['concurrent client access, other spelling', ['I3_CLIENT_ACCESS_CONCURRENT'], ['BUSINESS_USER']],
    ['concurrent agent', ['I3_ACCESS_CLIENT_CONCURRENT', 'I3_ACCESS_ACD_MEDIA_1_CONCURRENT'], ['AGENT']],
    ['concurrent add-on', ['I3_ACCESS_CLIENT', 'I3_ACCESS_DIALER_ADDON_CONCURRENT'], ['AGENT', 'DIALER']],
    ['ACD media 2 (decision: an agent level)', ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_2'], ['AGENT']],
    [
      'media 3 plus alone is an add-on, so an agent',
      ['I3_ACCESS_ACD_MEDIA_3_PLUS'],
      ['AGENT', 'MULTI_CHANNEL'],
    ],
    ['phone-only ACD agent without client access', ['I3_ACCESS_ACD_MEDIA_1'], ['AGENT']],
    ['an add-on without client access', ['I3_ACCESS_FEEDBACK'], ['AGENT', 'FEEDBACK']],
    ['nothing billable', ['I3_LICENSE_BASIC_STATION', 'I3_ACCESS_TRACKER'], []],
    ['no licences', [], []],
    ['case and whitespace do not matter', [' i3_client_access '], ['BUSINESS_USER']],
    [
      'duplicates count once',
      ['I3_ACCESS_FEEDBACK', 'I3_ACCESS_FEEDBACK_CONCURRENT', 'I3_CLIENT_ACCESS'],
      ['AGENT', 'FEEDBACK'],
    ],
    [
      'two keys of one add-on give the category once',
      ['I3_ACCESS_RECORDER_QUALITYMONITORING', 'I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT'],
      ['AGENT', 'QUALITY_MANAGER'],
    ],
  ])('%s', (_name, licenses, expected) => {
    expect(classifySession(licenses)).toEqual(expected);
  });

  // Copied from the SPEC §3 table rather than derived from the mapping, so a slip in either shows.
  const addOnRows: Array<[AddOnCategory, string]> = [
    ['ANALYZER', 'I3_ACCESS_ANALYZER'],
    ['CX_INSIGHTS', 'I3_ACCESS_ANALYTICS_CORE'],
    ['DIALER', 'I3_ACCESS_DIALER_ADDON'],
    ['FEEDBACK', 'I3_ACCESS_FEEDBACK'],
    ['MULTI_CHANNEL', 'I3_ACCESS_ACD_MEDIA_3_PLUS'],
    ['QUALITY_MANAGER', 'I3_ACCESS_RECORDER_QUALITYMONITORING'],
    ['QUALITY_MANAGER', 'I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT'],
    ['RECORDER', 'I3_ACCESS_RECORDER'],
    ['SALESFORCE_AGENT', 'I3_LICENSE_SALESFORCE'],
    ['SALESFORCE_AGENT', 'I3_LICENSE_SALESFORCE_BUSINESSUSER'],
    ['SOCIAL_MEDIA_ACD', 'I3_ACCESS_ACD_SOCIAL_MEDIA'],
    ['SUPERVISOR', 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN'],
    ['SUPERVISOR', 'I3_ACCESS_DIALER_SUPERVISOR_PLUS'],
    ['SUPERVISOR', 'I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN'],
    ['SUPERVISOR', 'I3_ACCESS_REPORT_ASSISTANT_SUPERVISOR_PLUGIN'],
    ['SUPERVISOR', 'I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN'],
    ['WEB_PORTAL_AGENT', 'I3_ACCESS_IWP_USER_AGENT'],
    ['WEB_PORTAL_SUPERVISOR', 'I3_ACCESS_IWP_USER_ENTERPRISE'],
  ];

  it('holds exactly the SPEC table', () => {
    const fromMapping = Object.entries(CATEGORY_MAPPING_2020R1.addOns).flatMap(([category, keys]) =>
      keys.map((key) => [category, key]),
    );
    expect(fromMapping).toEqual(addOnRows);
    expect(new Set(addOnRows.map(([c]) => c))).toEqual(new Set(Object.values(AddOnCategory)));
  });

  it.each(addOnRows)('%s: %s with client access makes an agent with that add-on', (category, key) => {
    expect(classifySession(['I3_CLIENT_ACCESS', key])).toEqual(['AGENT', category]);
  });

  it('never yields both AGENT and BUSINESS_USER, and add-ons only with AGENT', () => {
    const all = addOnRows.map(([, key]) => key);
    for (let i = 0; i < all.length; i++) {
      const categories = classifySession(['I3_CLIENT_ACCESS', ...all.slice(0, i)]);
      expect(categories.includes('AGENT') && categories.includes('BUSINESS_USER')).toBe(false);
      if (categories.includes('BUSINESS_USER')) expect(categories).toEqual(['BUSINESS_USER']);
    }
  });

  it('lists no key under two categories', () => {
    const keys = [
      ...CATEGORY_MAPPING_2020R1.clientAccess,
      ...CATEGORY_MAPPING_2020R1.agent,
      ...addOnRows.map(([, key]) => key),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('classifySession (mapping 2020R1-2: every supervisor licence, the user’s own licences)', () => {
  const m = CATEGORY_MAPPING_2020R1_2;

  it('is the current mapping, and 2020R1 stays as it was for what was derived with it', () => {
    expect(CURRENT_CATEGORY_MAPPING).toBe(m);
    expect(categoryMappingVersion('2020R1-2')).toBe(m);
    expect(
      classifySession(['I3_ACCESS_CLIENT', 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN'], CATEGORY_MAPPING_2020R1),
    ).toEqual(['BUSINESS_USER']);
  });

  // The reference's agent row: "I3_ACCESS_ACD_MEDIA_1 or any add-on license ... ALL SUPERVISOR LICENSES".
  it.each([
    ['the dialer supervisor plug-in (part AA01)', ['I3_ACCESS_CLIENT', 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN']],
    ['its concurrent twin', ['I3_ACCESS_CLIENT', 'I3_ACCESS_DIALER_SUPERVISOR_PLUGIN_CONCURRENT']],
    ['a supervisor licence the table does not list', ['I3_ACCESS_CLIENT', 'I3_ACCESS_SUPERVISOR_IPAD']],
    ['a listed one', ['I3_ACCESS_CLIENT', 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN']],
    ['lower case', ['i3_access_client', 'i3_access_queue_supervisor_plugin']],
  ])('%s makes an AGENT with SUPERVISOR', (_name, licenses) => {
    expect(classifySession(licenses, m)).toEqual(['AGENT', 'SUPERVISOR']);
  });

  it('keeps the web portal supervisor (I3_ACCESS_IWP_USER_ENTERPRISE) in its own category', () => {
    expect(classifySession(['I3_ACCESS_IWP_USER_ENTERPRISE'], m)).toEqual(['AGENT', 'WEB_PORTAL_SUPERVISOR']);
  });

  it.each([
    ['Tina', ['I3_CLIENT_ACCESS'], ['BUSINESS_USER']],
    ['Sam', ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1'], ['AGENT']],
    [
      'Jane',
      ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_ACD_MEDIA_3_PLUS', 'I3_ACCESS_FEEDBACK'],
      ['AGENT', 'FEEDBACK', 'MULTI_CHANNEL'],
    ],
  ])('keeps the reference example %s', (_name, licenses, expected) => {
    expect(classifySession(licenses, m)).toEqual(expected);
  });

  it('a telephone-only logon counts as AGENT, whatever the user’s own licences', () => {
    expect(classifySession([], m, { telephoneOnly: true })).toEqual(['AGENT']);
    expect(classifySession(['I3_ACCESS_CLIENT'], m, { telephoneOnly: true })).toEqual(['AGENT']);
    expect(classifySession(['I3_ACCESS_RECORDER'], m, { telephoneOnly: true })).toEqual([
      'AGENT',
      'RECORDER',
    ]);
    expect(classifySession([], m)).toEqual([]);
  });

  it('lists no key under two categories', () => {
    const keys = [...m.clientAccess, ...m.agent, ...Object.values(m.addOns).flat()];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('versioned mappings', () => {
  it('finds a mapping by its version and refuses an unknown one', () => {
    expect(categoryMappingVersion('2020R1')).toBe(CATEGORY_MAPPING_2020R1);
    expect(() => categoryMappingVersion('1999R9')).toThrow(DomainError);
  });

  it('classifies with the mapping it is given', () => {
    const next: CategoryMapping = {
      ...CATEGORY_MAPPING_2020R1,
      version: 'test',
      addOns: { ...CATEGORY_MAPPING_2020R1.addOns, FEEDBACK: ['I3_ACCESS_FEEDBACK', 'I3_ACCESS_SURVEY'] },
    };
    expect(classifySession(['I3_CLIENT_ACCESS', 'I3_ACCESS_SURVEY'], next)).toEqual(['AGENT', 'FEEDBACK']);
    expect(classifySession(['I3_CLIENT_ACCESS', 'I3_ACCESS_SURVEY'])).toEqual(['BUSINESS_USER']);
  });

  it('is frozen so no caller can change a published version', () => {
    expect(Object.isFrozen(CATEGORY_MAPPING_2020R1.addOns.SUPERVISOR)).toBe(true);
  });
});

describe('canonicalLicenseKey', () => {
  it.each([
    ['I3_ACCESS_CLIENT', 'I3_CLIENT_ACCESS'],
    ['I3_ACCESS_CLIENT_CONCURRENT', 'I3_CLIENT_ACCESS'],
    ['I3_ACCESS_ACD_MEDIA_1_CONCURRENT', 'I3_ACCESS_ACD_MEDIA_1'],
    ['I3_ACCESS_RECORDER', 'I3_ACCESS_RECORDER'],
    ['_CONCURRENT', '_CONCURRENT'],
  ])('%s → %s', (key, canonical) => {
    expect(canonicalLicenseKey(key)).toBe(canonical);
  });
});
