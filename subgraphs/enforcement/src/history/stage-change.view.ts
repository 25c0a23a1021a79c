import { type StageChangedPayload } from '@lic/shared';
import { stageName, type Stage } from '../rules/stage.js';
import { type StageChangeRow } from './stage-change.entity.js';
import { EnforcementStageChange } from './stage-change.types.js';

const view = (fields: Omit<EnforcementStageChange, 'fromName' | 'toName'>): EnforcementStageChange =>
  Object.assign(new EnforcementStageChange(), {
    ...fields,
    fromName: stageName(fields.from as Stage),
    toName: stageName(fields.to as Stage),
  });

export const fromHistoryRow = (row: StageChangeRow): EnforcementStageChange =>
  view({
    serverId: row.serverId,
    accountId: row.accountId,
    from: row.fromStage,
    to: row.toStage,
    at: row.at,
    cause: row.cause,
    supervisorEnabled: row.supervisorEnabled,
    callPortLimit: row.callPortLimit,
    by: row.actor,
    reason: row.note,
  });

export const fromPayload = (payload: StageChangedPayload): EnforcementStageChange =>
  view({
    serverId: payload.serverId,
    accountId: payload.accountId,
    from: payload.from,
    to: payload.to,
    at: new Date(payload.at),
    cause: payload.cause ?? null,
    supervisorEnabled: payload.supervisorEnabled,
    callPortLimit: payload.callPortLimit,
    by: payload.by ?? null,
    reason: payload.reason ?? null,
  });
