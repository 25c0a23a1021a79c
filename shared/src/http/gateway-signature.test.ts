import { ManualClock } from '../clock/clock.js';
import { GatewaySignatureVerifier, GatewaySigner, type SignedRequest } from './gateway-signature.js';

const NEW = 'n'.repeat(40);
const OLD = 'o'.repeat(40);
const request: SignedRequest = {
  method: 'POST',
  path: '/graphql',
  authorization: 'Bearer user-token',
  body: '{"query":"{ accounts { id } }"}',
};

/** The HMAC that keeps subgraphs to the gateway: what it covers, how long it lives, rotation. */
describe('gateway request signatures', () => {
  const clock = new ManualClock('2026-12-06T12:00:00.000Z');
  const verifier = new GatewaySignatureVerifier([NEW, OLD], 60, clock);

  it('accepts the current and the previous secret, nothing else', () => {
    expect(verifier.verify(new GatewaySigner(NEW, clock).sign(request), request)).toBeUndefined();
    expect(verifier.verify(new GatewaySigner(OLD, clock).sign(request), request)).toBeUndefined();
    expect(verifier.verify(new GatewaySigner('x'.repeat(40), clock).sign(request), request)).toBe('invalid');
    expect(
      new GatewaySignatureVerifier([NEW, undefined], 60, clock).verify(
        new GatewaySigner(OLD, clock).sign(request),
        request,
      ),
    ).toBe('invalid');
  });

  it.each<[string, Partial<SignedRequest>]>([
    ['method', { method: 'GET' }],
    ['path', { path: '/graphql?query=x' }],
    ['caller token', { authorization: 'Bearer someone-else' }],
    ['no caller token', { authorization: undefined }],
    ['body', { body: '{"query":"{ servers { id } }"}' }],
    ['request id', { requestId: 'forged-request-id' }],
    ['client address', { clientAddress: '203.0.113.9' }],
  ])('binds the %s: a signature does not carry over to another request', (_what, change) => {
    const signature = new GatewaySigner(NEW, clock).sign(request);
    expect(verifier.verify(signature, { ...request, ...change })).toBe('invalid');
  });

  it('refuses signatures older or further ahead than the tolerance, and malformed ones', () => {
    const signer = new GatewaySigner(NEW, clock);
    const signature = signer.sign(request);
    clock.advance(60_000);
    expect(verifier.verify(signature, request)).toBeUndefined();
    clock.advance(1_000);
    expect(verifier.verify(signature, request)).toBe('stale');
    const ahead = new GatewaySigner(NEW, new ManualClock(new Date(clock.now().getTime() + 120_000)));
    expect(verifier.verify(ahead.sign(request), request)).toBe('stale');
    expect(verifier.verify(undefined, request)).toBe('missing');
    expect(verifier.verify('t=1,v1=short', request)).toBe('malformed');
    expect(verifier.verify(signature.replace('t=', 'T='), request)).toBe('malformed');
  });

  it('signs graphql-ws connection parameters for the upgrade request of the URL', () => {
    const params = new GatewaySigner(NEW, clock).connectionParams('ws://accounts:4001/graphql', 'Bearer t');
    expect(params['authorization']).toBe('Bearer t');
    expect(
      verifier.verify(params['gatewaySignature'], {
        method: 'GET',
        path: '/graphql',
        authorization: 'Bearer t',
        body: undefined,
      }),
    ).toBeUndefined();
  });
});
