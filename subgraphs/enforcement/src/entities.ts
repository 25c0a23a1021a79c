import { EnforcementServer } from './status/enforcement-server.entity.js';

export const entities = [EnforcementServer];
