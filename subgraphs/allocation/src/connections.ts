import { ConnectionType, type ListOrder } from '@lic/shared';
import { LicenseDenial } from './pool/denial.entity.js';
import { Server } from './server/server.entity.js';
import { LogonSession } from './session/session.entity.js';
import { Station } from './station/station.entity.js';
import { CicUser } from './user/user.entity.js';

/** The connection types of this subgraph's lists (docs/api.md, "Pagination"). */
export const ServerConnection = ConnectionType(Server, 'Server', 'CIC server');
export const CicUserConnection = ConnectionType(CicUser, 'CicUser', 'CIC user');
export const StationConnection = ConnectionType(Station, 'Station', 'station');
export const LogonSessionConnection = ConnectionType(LogonSession, 'Session', 'logon session');
export const LicenseDenialConnection = ConnectionType(LicenseDenial, 'LicenseDenial', 'licence denial');

/**
 * Servers, users and stations come whole from their per-request DataLoaders (a unit holds a few
 * hundred at most) and are paged in memory, oldest first: a new row lands on the last page.
 */
export const SERVER_ORDER: ListOrder<Server> = {
  list: 'servers',
  direction: 'ASC',
  key: (s) => s.createdAt.getTime(),
  id: (s) => s.id,
};
export const USER_ORDER: ListOrder<CicUser> = {
  list: 'cicUsers',
  direction: 'ASC',
  key: (u) => u.createdAt.getTime(),
  id: (u) => u.id,
};
export const STATION_ORDER: ListOrder<Station> = {
  list: 'stations',
  direction: 'ASC',
  key: (s) => s.createdAt.getTime(),
  id: (s) => s.id,
};
