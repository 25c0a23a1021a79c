import { GraphQLError } from 'graphql';
import { SharedPayloads } from './shared-payloads.js';

/** What graphql-ws sends for a result, built as graphql-ws builds it. */
const direct = (id: string, result: { data?: unknown; errors?: readonly GraphQLError[] }) => {
  const { errors, ...rest } = result;
  return JSON.stringify({
    id,
    type: 'next',
    payload: { ...rest, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) },
  });
};

describe('payloads serialised once for every subscriber', () => {
  it('sends each subscriber byte for byte what graphql-ws would have sent', () => {
    const payloads = new SharedPayloads();
    const result = {
      data: { licenseStatisticsChanged: { server: { name: 'cic "one"', account: { name: 'Acme' } } } },
      errors: [
        new GraphQLError('Account unavailable', {
          path: ['x'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
        }),
      ],
    };
    for (const id of ['1', 'sub-2', '{"__gatewayPayload":1}']) {
      const sent = JSON.stringify({ id, type: 'next', payload: payloads.reference(result) });
      expect(payloads.expand(sent)).toBe(direct(id, result));
    }
  });

  it('serialises a result once however many subscribers get it, and leaves other messages alone', () => {
    const payloads = new SharedPayloads();
    const result = { data: { n: 1 } };
    const first = payloads.reference(result);
    expect(payloads.reference(result)).toEqual(first);
    expect(payloads.reference({ data: { n: 1 } })).not.toEqual(first);
    const complete = JSON.stringify({ id: '1', type: 'complete' });
    expect(payloads.expand(complete)).toBe(complete);
  });
});
