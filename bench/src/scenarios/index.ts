import { type Scenario } from '../types.js';
import { apiKeyAuthScenario } from './api-key-auth.js';
import { dbFloorScenario } from './db-floor.js';
import { gatewayQueriesScenario } from './gateway-queries.js';
import { logonCyclesScenario } from './logon-cycles.js';
import { statementCountsScenario } from './statement-counts.js';
import { subscriptionFanoutScenario } from './subscription-fanout.js';
import { subscriptionReconnectScenario } from './subscription-reconnect.js';
import { usageReportScenario } from './usage-report.js';
import { webhookDeliveryScenario } from './webhook-delivery.js';

/** Every scenario of `npm run bench`, in the order of issue 8 (the report follows it). */
export const scenarios: readonly Scenario[] = [
  gatewayQueriesScenario,
  logonCyclesScenario,
  subscriptionFanoutScenario,
  subscriptionReconnectScenario,
  usageReportScenario,
  statementCountsScenario,
  dbFloorScenario,
  webhookDeliveryScenario,
  apiKeyAuthScenario,
];

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
