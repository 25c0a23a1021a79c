import { type DataSource, type EntityManager } from 'typeorm';
import { DomainError, afterCommit, eventsCommitted } from '@lic/shared';
import { type DeniedKey, type PoolAlerts } from './alerts/pool-alerts.js';
import { type RuleViolation, violationDetails } from './rules/licenses.js';
import { type StatisticsPublisher } from './statistics/statistics.publisher.js';

/**
 * What follows a committed change: live statistics for the servers touched, the outbox relay
 * (for events written as statements, `outboxInsert`; `recordEvent` tells it itself), and the
 * pool alerts for denials.
 */
export class Effects {
  constructor(
    private readonly publisher: StatisticsPublisher,
    private readonly dataSource: DataSource,
    private readonly alerts?: PoolAlerts,
  ) {}

  /**
   * Denials on a unit's pools: once committed (at once without a transaction, as after a
   * logon's), their pools' alert episodes are checked in the background.
   */
  denied(manager: EntityManager | undefined, unitId: string, denials: readonly DeniedKey[], at: Date): void {
    const alerts = this.alerts;
    if (!alerts || denials.length === 0) return;
    const run = () => alerts.denied(unitId, denials, at);
    if (manager) afterCommit(manager, run);
    else run();
  }

  afterCommit(manager: EntityManager, serverIds: Iterable<string>, events = true): void {
    const ids = [...new Set(serverIds)];
    afterCommit(manager, () => {
      for (const id of ids) this.publisher.changed(id);
      if (events) eventsCommitted(this.dataSource);
    });
  }

  /** Outside a transaction (the change already committed). */
  now(serverIds: Iterable<string>, events = true): void {
    for (const id of new Set(serverIds)) this.publisher.changed(id);
    if (events) eventsCommitted(this.dataSource);
  }
}

/** A broken rule as the GraphQL error a client sees (code plus the key or field at fault). */
export function ruleError(violation: RuleViolation): DomainError {
  return new DomainError(violation.code, violation.message, violationDetails(violation));
}
