export { startStack, type Stack } from './embedded.js';
export { seedDemoData, type SeedSummary } from './seed.js';
