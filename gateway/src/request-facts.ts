import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import {
  CLIENT_ADDRESS_HEADER,
  REQUEST_ID_HEADER,
  type RequestFacts,
  acceptedRequestId,
} from '@lic/shared/core';

const factsByRequest = new WeakMap<IncomingMessage, RequestFacts>();

/**
 * Fixes a request's facts for the audit log as it arrives: its id (the client's well-formed
 * `x-request-id`, else a new UUID), echoed back in the response's `x-request-id`, and the client's
 * address (the peer's: the gateway trusts no forwarding header).
 */
export function assignRequestFacts(
  req: IncomingMessage,
  res: ServerResponse,
  clientAddress: string,
): RequestFacts {
  const facts: RequestFacts = {
    requestId: acceptedRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID(),
    clientAddress,
  };
  factsByRequest.set(req, facts);
  res.setHeader(REQUEST_ID_HEADER, facts.requestId!);
  return facts;
}

/** The headers that carry a request's facts to a subgraph (signed with the rest of the request). */
export function requestFactHeaders(facts: RequestFacts | undefined): Record<string, string> {
  return {
    ...(facts?.requestId ? { [REQUEST_ID_HEADER]: facts.requestId } : {}),
    ...(facts?.clientAddress ? { [CLIENT_ADDRESS_HEADER]: facts.clientAddress } : {}),
  };
}

/** The facts assigned to an incoming request (undefined before assignRequestFacts). */
export function requestFactsOf(req: IncomingMessage): RequestFacts | undefined {
  return factsByRequest.get(req);
}
