export * from './config.js';
export * from './ws-client.js';
export * from './client.js';
export * from './isolation-matrix.js';
export * from './ports.js';
export * from './redis-server.js';
export * from './harness.js';
