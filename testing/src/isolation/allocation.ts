import { type MatrixEntry, entityOperation } from '../isolation-matrix.js';

/** Tenant B of the isolation matrix: a licensed server with a user and a station. */
export interface ForeignServer {
  serverId: string;
  accountId: string;
  installSiteId: string;
  userId: string;
  stationId: string;
  /** A signed file for the server, as loadLicenseFile takes it. */
  licenseFileContent: string;
}

/**
 * The allocation subgraph's rows of the tenant-isolation matrix: every root field, entity and
 * subscription, aimed at tenant B (used by the subgraph's own test and, without the entities,
 * through the gateway).
 */
export function allocationMatrix(b: ForeignServer): Record<string, MatrixEntry> {
  const serverId = b.serverId;
  const read = (
    query: string,
    variables: Record<string, unknown>,
    adminSees: MatrixEntry['adminSees'] = true,
  ): MatrixEntry => ({
    foreign: { query, variables },
    adminSees,
  });
  const m = (query: string, variables: Record<string, unknown>): MatrixEntry => ({
    foreign: { query, variables },
  });
  return {
    'Query.accountLicenseCaps': read(
      'query($id: ID!) { accountLicenseCaps(accountId: $id) { accountId key cap } }',
      { id: b.accountId },
      'answers',
    ),
    'Query.server': read('query($id: ID!) { server(id: $id) { id name } }', { id: serverId }),
    'Query.sessions': read(
      'query($id: ID!) { sessions(serverId: $id, activeOnly: false, limit: 10) { id userId } }',
      { id: serverId },
    ),
    'Query.sessionsConnection': read(
      'query($id: ID!) { sessionsConnection(serverId: $id, activeOnly: false, first: 200) { edges { node { id userId } } } }',
      { id: serverId },
    ),
    'Query.stationsConnection': read(
      'query($id: ID!) { stationsConnection(serverId: $id, first: 200) { edges { node { id name } } } }',
      { id: serverId },
    ),
    'Query.licenseDenialsConnection': read(
      'query($id: ID!) { licenseDenialsConnection(serverId: $id, first: 200) { edges { node { id serverId } } } }',
      { id: serverId },
      'answers',
    ),
    'Query.cicUsersConnection': read(
      'query($id: ID!) { cicUsersConnection(serverId: $id, first: 200) { edges { node { id name } } } }',
      { id: serverId },
    ),
    'Query.station': read('query($id: ID!) { station(id: $id) { id name } }', { id: b.stationId }),
    'Query.stations': read('query($id: ID!) { stations(serverId: $id) { id name } }', { id: serverId }),
    'Query.licenseStatistics': read(
      'query($id: ID!) { licenseStatistics(serverId: $id) { key concurrentInUse } }',
      { id: serverId },
      'answers',
    ),
    'Query.licenseDenials': read(
      'query($id: ID!) { licenseDenials(serverId: $id) { id serverId } }',
      { id: serverId },
      'answers',
    ),
    'Query.licenseRecentDenials': read(
      'query($id: ID!) { licenseRecentDenials(serverId: $id) { key lastHour lastDay } }',
      { id: serverId },
      'answers',
    ),
    'Query.licenseUsageHistory': read(
      'query($id: ID!) { licenseUsageHistory(serverId: $id, key: "I3_ACCESS_CLIENT", from: "2024-01-01T00:00:00Z", to: "2024-01-01T01:00:00Z", resolution: MINUTE) { at inUse } }',
      { id: serverId },
      'answers',
    ),
    'Query.cicUser': read('query($id: ID!) { cicUser(id: $id) { id name } }', { id: b.userId }),
    'Query.cicUsers': read('query($id: ID!) { cicUsers(serverId: $id) { id name } }', { id: serverId }),
    'Mutation.openCall': m('mutation($id: ID!) { openCall(serverId: $id, callId: "c-1") { serverId } }', {
      id: serverId,
    }),
    'Mutation.closeCall': m('mutation($id: ID!) { closeCall(serverId: $id, callId: "c-1") { serverId } }', {
      id: serverId,
    }),
    'Mutation.loadLicenseFile': m(
      'mutation($id: ID!, $content: String!) { loadLicenseFile(serverId: $id, content: $content) { id } }',
      { id: serverId, content: b.licenseFileContent },
    ),
    'Mutation.setAccountLicenseCap': m(
      'mutation($id: ID!) { setAccountLicenseCap(accountId: $id, key: "I3_ACCESS_CLIENT", cap: 1) { accountId } }',
      { id: b.accountId },
    ),
    'Mutation.registerServer': m(
      'mutation($input: RegisterServerInput!) { registerServer(input: $input) { id } }',
      { input: { accountId: b.accountId, installSiteId: b.installSiteId, name: 'intruder' } },
    ),
    'Mutation.issueServerCredential': m(
      'mutation($id: ID!) { issueServerCredential(serverId: $id) { serverId token } }',
      { id: serverId },
    ),
    'Mutation.heartbeat': m('mutation($id: ID!) { heartbeat(serverId: $id) }', { id: serverId }),
    'Mutation.logon': m('mutation($input: LogonInput!) { logon(input: $input) { session { id } } }', {
      input: { serverId, userId: b.userId, stationId: b.stationId, application: 'Interaction Connect' },
    }),
    'Mutation.logoff': m('mutation($input: LogoffInput!) { logoff(input: $input) { ended } }', {
      input: { serverId, userId: b.userId, application: 'Interaction Connect' },
    }),
    'Mutation.reportServerStarted': m(
      'mutation($id: ID!) { reportServerStarted(serverId: $id, switchover: false) { id } }',
      { id: serverId },
    ),
    'Mutation.createStation': m(
      'mutation($input: CreateStationInput!) { createStation(input: $input) { id } }',
      {
        input: { serverId, name: 'intruder', kind: 'WORKSTATION', licenses: [] },
      },
    ),
    'Mutation.setStationLicenses': m(
      'mutation($id: ID!) { setStationLicenses(stationId: $id, licenses: []) { id } }',
      { id: b.stationId },
    ),
    'Mutation.deleteStation': m('mutation($id: ID!) { deleteStation(id: $id) }', { id: b.stationId }),
    'Mutation.createCicUser': m(
      'mutation($input: CreateCicUserInput!) { createCicUser(input: $input) { id } }',
      {
        input: { serverId, name: 'intruder', allocationMethod: 'CONCURRENT', licenses: [] },
      },
    ),
    'Mutation.setUserLicenses': m(
      'mutation($id: ID!) { setUserLicenses(userId: $id, licenses: []) { id } }',
      {
        id: b.userId,
      },
    ),
    'Mutation.setUserMediaTypes': m(
      'mutation($id: ID!) { setUserMediaTypes(userId: $id, queuedMediaTypes: []) { id } }',
      { id: b.userId },
    ),
    'Mutation.deleteCicUser': m('mutation($id: ID!) { deleteCicUser(id: $id) }', { id: b.userId }),
    'Subscription.licenseStatisticsChanged': m(
      'subscription($id: ID!) { licenseStatisticsChanged(serverId: $id) { server { id name } statistics { key } } }',
      { id: serverId },
    ),
    'Entity.Server': { foreign: entityOperation('Server', { id: serverId }, 'id name'), adminSees: true },
    'Entity.CicUser': { foreign: entityOperation('CicUser', { id: b.userId }, 'id name'), adminSees: true },
    'Entity.Station': {
      foreign: entityOperation('Station', { id: b.stationId }, 'id name'),
      adminSees: true,
    },
    // Accounts owns Account; the servers allocation adds to it are the policy's to filter.
    'Entity.Account': {
      foreign: entityOperation('Account', { id: b.accountId }, 'id servers { id name }'),
      answer: 'own-only',
      adminSees: true,
    },
  };
}
