import { type Principal, type RequestFacts } from '@lic/shared/core';

/** Labels an HTTP request's metrics once Apollo has resolved its operation. */
export interface RequestInfo {
  operation: string;
}

/** The per-operation context: the verified caller, and the header forwarded to subgraphs. */
export interface GatewayContext {
  principal: Principal;
  authorization: string;
  requestInfo?: RequestInfo;
  /** The request id and client address forwarded to subgraphs for the audit log. */
  requestFacts?: RequestFacts;
}
