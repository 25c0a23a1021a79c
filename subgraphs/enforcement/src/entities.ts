import { CheckInRow } from './checkin/check-in.entity.js';
import { StageChangeRow } from './history/stage-change.entity.js';
import { EnforcementServer } from './status/enforcement-server.entity.js';

export const entities = [EnforcementServer, CheckInRow, StageChangeRow];
