export { createGateway, type GatewayHandle, type GatewayOptions, type GatewayContext } from './server.js';
export { loadSupergraphSdl, SUPERGRAPH_PATH } from './supergraph.js';
export {
  type BridgeStats,
  type SubscriptionOptions,
  DEFAULT_SUBSCRIPTION_OPTIONS,
} from './subscriptions/bridge.js';
export { TOKEN_REJECTED_CLOSE_CODE } from './subscriptions/ws-server.js';
