export { createGateway, type GatewayHandle, type GatewayOptions, type GatewayContext } from './server.js';
export { loadSupergraphSdl, SUPERGRAPH_PATH } from './supergraph.js';
