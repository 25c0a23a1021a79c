export * from './config.js';
export * from './ws-client.js';
export { graphqlRequest, graphqlData } from '../http/graphql-client.js';
export * from './isolation-matrix.js';
