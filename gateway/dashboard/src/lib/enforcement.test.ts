import { bannerLevel, disabledFeatures, stageLabel } from './enforcement.js';

const facts = (stage: number, over = {}) => ({
  stage,
  applicable: true,
  supervisorEnabled: stage < 4,
  callPortLimit: stage >= 6 ? 2 : stage === 5 ? 4 : null,
  ...over,
});

describe('what an enforcement stage means for the page', () => {
  it.each([
    [1, 'none'],
    [2, 'warning'],
    [3, 'obtrusive'],
    [4, 'disabled'],
    [5, 'disabled'],
    [6, 'disabled'],
  ])('stage %i shows banner %s', (stage, level) => {
    expect(bannerLevel(facts(stage))).toBe(level);
  });

  it('shows no banner for a server that is not enforced', () => {
    expect(bannerLevel(facts(3, { applicable: false }))).toBe('none');
    expect(disabledFeatures(facts(5, { applicable: false }))).toEqual([]);
  });

  it('lists what is disabled: supervisor licences from stage 4, call ports at 5 and 6', () => {
    expect(disabledFeatures(facts(3))).toEqual([]);
    expect(disabledFeatures(facts(4))).toEqual([
      'Supervisor licences cannot be acquired; held ones were released',
    ]);
    expect(disabledFeatures(facts(5))).toEqual([
      'Supervisor licences cannot be acquired; held ones were released',
      'Call ports limited to 4',
    ]);
    expect(disabledFeatures(facts(6))[1]).toBe('The server is unlicensed: 2 call ports, nothing else');
  });

  it('names the stages as docs/domain.md does', () => {
    expect([1, 2, 3, 4, 5, 6].map(stageLabel)).toEqual([
      'Fully functional',
      'Warning',
      'Obtrusive warning',
      'Supervisor licences disabled',
      'Call ports limited',
      'Unlicensed',
    ]);
  });
});
