import { acdMediaAllowance, filterQueuedTypes } from './acd-media.js';

describe('acdMediaAllowance', () => {
  it.each([
    [[], 'NONE', 0],
    [['I3_ACCESS_CLIENT'], 'NONE', 0],
    [['I3_ACCESS_ACD_MEDIA_1'], 'MEDIA_1', 1],
    [['I3_ACCESS_ACD_MEDIA_1_CONCURRENT'], 'MEDIA_1', 1],
    [['I3_ACCESS_ACD_MEDIA_2'], 'MEDIA_2', 2],
    [['I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_ACD_MEDIA_2'], 'MEDIA_2', 2],
    [['I3_ACCESS_ACD_MEDIA_3_PLUS'], 'MEDIA_3_PLUS', null],
    // SPEC's Jane: client access, media 1, media 3 plus, feedback.
    [
      ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_ACD_MEDIA_3_PLUS', 'I3_ACCESS_FEEDBACK'],
      'MEDIA_3_PLUS',
      null,
    ],
  ])('%j → %s (%p types)', (licenses, level, maxTypes) => {
    expect(acdMediaAllowance(licenses)).toEqual({ level, maxTypes });
  });
});

describe('filterQueuedTypes', () => {
  const media1 = ['I3_ACCESS_ACD_MEDIA_1'];
  const media2 = ['I3_ACCESS_ACD_MEDIA_2'];
  const media3 = ['I3_ACCESS_ACD_MEDIA_3_PLUS'];

  it.each<[string, string[], string[], string[] | undefined, string[], boolean]>([
    ['media 1, one type', media1, ['CALL'], undefined, ['CALL'], false],
    ['media 1, two types', media1, ['CALL', 'EMAIL'], undefined, ['CALL'], true],
    ['media 1, duplicates are one type', media1, ['CALL', 'CALL'], undefined, ['CALL'], false],
    ['media 1, the chosen type wins', media1, ['CALL', 'EMAIL'], ['EMAIL'], ['EMAIL'], true],
    // Reference: a media 1 user licensed for e-mail whose workgroup carries only calls is warned.
    ['media 1, chosen type not queued', media1, ['CALL'], ['EMAIL'], [], true],
    [
      'media 1, too many chosen: the first counts',
      media1,
      ['CALL', 'EMAIL'],
      ['EMAIL', 'CALL'],
      ['EMAIL'],
      true,
    ],
    ['media 2, two types', media2, ['CALL', 'EMAIL'], undefined, ['CALL', 'EMAIL'], false],
    ['media 2, three types', media2, ['CALL', 'EMAIL', 'CHAT'], undefined, ['CALL', 'EMAIL'], true],
    ['media 2, chosen', media2, ['CALL', 'EMAIL', 'CHAT'], ['CHAT', 'CALL'], ['CALL', 'CHAT'], true],
    [
      'media 3 plus, any',
      media3,
      ['CALL', 'EMAIL', 'CHAT', 'SMS'],
      undefined,
      ['CALL', 'EMAIL', 'CHAT', 'SMS'],
      false,
    ],
    [
      'media 3 plus ignores a choice',
      media3,
      ['CALL', 'EMAIL', 'CHAT'],
      ['CALL'],
      ['CALL', 'EMAIL', 'CHAT'],
      false,
    ],
    ['no ACD licence', ['I3_ACCESS_CLIENT'], ['CALL'], undefined, [], true],
    ['no ACD licence, no queues', ['I3_ACCESS_CLIENT'], [], undefined, [], false],
  ])('%s', (_label, licenses, requested, chosen, allowed, warned) => {
    const result = filterQueuedTypes(licenses, requested, chosen);
    expect(result.allowed).toEqual(allowed);
    expect(result.warning !== undefined).toBe(warned);
  });

  it('says what is left out and why', () => {
    expect(filterQueuedTypes(['I3_ACCESS_ACD_MEDIA_1'], ['CALL', 'EMAIL', 'CHAT']).warning).toBe(
      'ACD media licence MEDIA_1 allows 1 interaction type: EMAIL, CHAT will not be queued to this user',
    );
    expect(filterQueuedTypes(['I3_ACCESS_ACD_MEDIA_2'], ['CALL', 'EMAIL', 'CHAT']).warning).toBe(
      'ACD media licence MEDIA_2 allows 2 interaction types: CHAT will not be queued to this user',
    );
  });
});
