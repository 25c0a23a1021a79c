export { startStack, type Stack, type StackOptions } from './embedded.js';
export { seedDemoData, type SeedSummary } from './seed.js';
export { seedOnFirstStart, type FirstStartSeed } from './first-start.js';
export { printApiSchema, printSubgraphSchemas, printSupergraph, type SubgraphSdl } from './schemas.js';
export { seedAccounts, type SeededAccounts } from './seed-accounts.js';
export { seedAllocation, type SeededAllocation } from './seed-allocation.js';
