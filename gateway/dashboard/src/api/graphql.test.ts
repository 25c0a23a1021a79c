import { isPartialAnswer, responseError } from './graphql.js';

const unavailable = (service: string) => ({
  message: `The ${service} service is unavailable; try again shortly`,
  extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'SUBGRAPH_UNAVAILABLE', service },
});

describe('partial answers (a subgraph down)', () => {
  it('keeps data whose only errors say a subgraph is unavailable', () => {
    const body = {
      data: { accounts: [{ id: 'a1', servers: null }] },
      errors: [unavailable('allocation'), unavailable('enforcement')],
    };
    expect(isPartialAnswer(body)).toBe(true);
  });

  it('rejects an answer with any other error, without data, or without errors', () => {
    expect(
      isPartialAnswer({
        data: { accounts: [] },
        errors: [unavailable('billing'), { message: 'No', extensions: { code: 'FORBIDDEN' } }],
      }),
    ).toBe(false);
    expect(isPartialAnswer({ data: null, errors: [unavailable('billing')] })).toBe(false);
    expect(isPartialAnswer({ data: { accounts: [] } })).toBe(false);
    expect(isPartialAnswer(undefined)).toBe(false);
    // Not partial: the first error is what a caller sees.
    expect(responseError(200, { data: null, errors: [unavailable('billing')] })?.message).toBe(
      'The billing service is unavailable; try again shortly',
    );
  });
});
