import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Clock, systemClock } from '../clock/clock.js';
import { type Config } from '../config/config.js';

/**
 * Subgraphs answer only the gateway: the gateway signs each request it sends one (HTTP, and the
 * connection parameters of each graphql-ws connection) with an HMAC over what the request is, and
 * a subgraph refuses what is unsigned, signed with another secret, or signed too long ago. The end
 * user's token travels beside it and is verified as before: the signature says "this came through
 * the gateway's checks", the token says who asks.
 */
export const GATEWAY_SIGNATURE_HEADER = 'x-gateway-signature';
/** The graphql-ws connection parameter that carries the signature of the upgrade request. */
export const GATEWAY_SIGNATURE_PARAM = 'gatewaySignature';

const VERSION = 'v1';
const EMPTY_BODY_DIGEST = createHash('sha256').update('').digest('hex');

/**
 * What a signature covers: the request line, the caller's token, the body's digest and the
 * request facts the audit log records (`x-request-id`, `x-client-address`), so that nobody
 * between the gateway and a subgraph can change who the audit log says asked, or from where.
 */
export interface SignedRequest {
  method: string;
  /** The path with its query string, as the subgraph receives it (`/graphql?query=…`). */
  path: string;
  authorization: string | undefined;
  body: string | Buffer | undefined;
  /** The `x-request-id` header sent with it (absent: none). */
  requestId?: string | undefined;
  /** The `x-client-address` header sent with it (absent: none). */
  clientAddress?: string | undefined;
}

export type SignatureRefusal = 'missing' | 'malformed' | 'stale' | 'invalid';

function canonical(request: SignedRequest, timestamp: number): string {
  const digest =
    request.body === undefined || request.body.length === 0
      ? EMPTY_BODY_DIGEST
      : createHash('sha256').update(request.body).digest('hex');
  return [
    VERSION,
    String(timestamp),
    request.method.toUpperCase(),
    request.path,
    request.authorization ?? '',
    digest,
    request.requestId ?? '',
    request.clientAddress ?? '',
  ].join('\n');
}

function mac(secret: string, text: string): Buffer {
  return createHmac('sha256', secret).update(text).digest();
}

/** Signs with one secret: `t=<unix seconds>,v1=<base64url HMAC-SHA256>`. */
export class GatewaySigner {
  constructor(
    private readonly secret: string,
    private readonly clock: Clock = systemClock,
  ) {}

  sign(request: SignedRequest): string {
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    return `t=${timestamp},${VERSION}=${mac(this.secret, canonical(request, timestamp)).toString('base64url')}`;
  }

  /** The header to add to an HTTP request to a subgraph. */
  headers(request: SignedRequest): Record<string, string> {
    return { [GATEWAY_SIGNATURE_HEADER]: this.sign(request) };
  }

  /** graphql-ws connection parameters: the caller's token and the signature of the upgrade to `url`. */
  connectionParams(url: string, authorization: string | undefined): Record<string, string> {
    const { pathname, search } = new URL(url);
    return {
      ...(authorization ? { authorization } : {}),
      [GATEWAY_SIGNATURE_PARAM]: this.sign({
        method: 'GET',
        path: `${pathname}${search}`,
        authorization,
        body: undefined,
      }),
    };
  }
}

/** Accepts a signature made with any of its secrets (the current one and, while rotating, the previous). */
export class GatewaySignatureVerifier {
  private readonly secrets: readonly string[];

  constructor(
    secrets: ReadonlyArray<string | undefined>,
    private readonly toleranceSeconds: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s !== '');
  }

  /** Undefined when the request carries a fresh signature by one of the secrets, else why not. */
  verify(signature: string | undefined, request: SignedRequest): SignatureRefusal | undefined {
    if (signature === undefined || signature === '') return 'missing';
    const match = /^t=(\d{1,12}),v1=([A-Za-z0-9_-]{43})$/.exec(signature);
    if (!match) return 'malformed';
    const timestamp = Number(match[1]);
    const now = this.clock.now().getTime() / 1000;
    if (Math.abs(now - timestamp) > this.toleranceSeconds) return 'stale';
    const given = Buffer.from(match[2]!, 'base64url');
    const text = canonical(request, timestamp);
    // Every secret is tried (no early exit), so timing says nothing about which one matched.
    let ok = false;
    for (const secret of this.secrets) {
      const expected = mac(secret, text);
      if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
    }
    return ok ? undefined : 'invalid';
  }
}

/** The gateway's signer, from the one config. */
export function gatewaySigner(config: Config, clock: Clock = systemClock): GatewaySigner {
  return new GatewaySigner(config.subgraphSigning.secret, clock);
}

/** A subgraph's verifier, from the one config: the current secret and the previous one. */
export function gatewaySignatureVerifier(
  config: Config,
  clock: Clock = systemClock,
): GatewaySignatureVerifier {
  const { secret, previousSecret, toleranceSeconds } = config.subgraphSigning;
  return new GatewaySignatureVerifier([secret, previousSecret], toleranceSeconds, clock);
}
