import 'reflect-metadata';

export { createServer, type BillingOptions, type BillingServerHandle } from './server.js';
export { buildBillingSchema } from './schema.js';
export { entities } from './entities.js';
export { migrations } from './migrations/index.js';
// The usage-report benchmark drives these five directly, in its own process (bench/src/scenarios).
export { UsageReportService, type UsageReportData } from './report/usage-report.service.js';
export { UsageDeriver } from './usage/usage-deriver.js';
export { maskOf } from './usage/category-mask.js';
export { CURRENT_CATEGORY_MAPPING } from './rules/categories.js';
export { encryptUsageFile } from './usage-file/usage-file-crypto.js';
export { encodeRecords, type UsageRecord } from './usage-file/usage-records.js';
