export * from './pagination.js';
export * from './connection-type.js';
