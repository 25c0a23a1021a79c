/**
 * Where a request came from, as the gateway saw it: its request id (the client's `x-request-id`
 * when it sent a well-formed one, else one the gateway made up; echoed back to the client) and the
 * client's address. The gateway forwards both to the subgraphs inside its signed request (the
 * signature covers them), so a subgraph can trust them as much as it trusts the gateway.
 */
export const REQUEST_ID_HEADER = 'x-request-id';
export const CLIENT_ADDRESS_HEADER = 'x-client-address';

export interface RequestFacts {
  requestId: string | undefined;
  clientAddress: string | undefined;
}

/** What a client may send as its request id: 1 to 128 characters of letters, digits and `._:-`. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's request id when it is well formed (anything else is replaced, never echoed). */
export function acceptedRequestId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : undefined;
}

/** The request facts a subgraph received from the gateway (headers it has verified the signature of). */
export function requestFactsFrom(headers: Record<string, string | string[] | undefined>): RequestFacts {
  const id = headers[REQUEST_ID_HEADER];
  const address = headers[CLIENT_ADDRESS_HEADER];
  return {
    requestId: acceptedRequestId(id),
    clientAddress: typeof address === 'string' && address.length <= 64 ? address : undefined,
  };
}
