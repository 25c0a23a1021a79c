import { type MatrixEntry, entityOperation } from '../isolation-matrix.js';

/** Tenant B of the isolation matrix: a server with usage, its account and one of its usage files. */
export interface ForeignUsage {
  serverId: string;
  accountId: string;
  userId: string;
  file: { id: string; fileName: string; content: string };
}

/** The usage files and sessions the matrix asks for. */
export const MATRIX_RANGE = { from: '2020-05-01T00:00:00.000Z', to: '2020-05-28T00:00:00.000Z' };

/**
 * The billing subgraph's rows of the tenant-isolation matrix: every root field and entity, aimed
 * at tenant B (used by the subgraph's own test and, without the entities, through the gateway).
 */
export function billingMatrix(b: ForeignUsage): Record<string, MatrixEntry> {
  const s = b.serverId;
  const file = b.file;
  return {
    'Query.usageFiles': {
      foreign: {
        query:
          'query($s: ID!, $from: DateTime, $to: DateTime) { usageFiles(serverId: $s, from: $from, to: $to) { id content server { id } } }',
        variables: { s, ...MATRIX_RANGE },
      },
      adminSees: true,
    },
    'Query.usageFilesConnection': {
      foreign: {
        query:
          'query($s: ID!, $from: DateTime, $to: DateTime) { usageFilesConnection(serverId: $s, from: $from, to: $to) { edges { node { id content server { id } } } } }',
        variables: { s, ...MATRIX_RANGE },
      },
      adminSees: true,
    },
    'Query.usageSessionsConnection': {
      foreign: {
        query:
          'query($s: ID!, $from: DateTime, $to: DateTime) { usageSessionsConnection(serverId: $s, from: $from, to: $to) { edges { node { start server { id } } } } }',
        variables: { s, ...MATRIX_RANGE },
      },
      adminSees: true,
    },
    'Query.usageFile': {
      foreign: {
        query: 'query($id: ID!) { usageFile(id: $id) { id content } }',
        variables: { id: file.id },
      },
      adminSees: 'answers',
    },
    'Query.billingPeriod': { foreign: { query: '{ billingPeriod { start end } }' }, answer: 'public' },
    'Query.usageReport': {
      foreign: {
        query:
          'query($a: ID!) { usageReport(accountId: $a, periodStart: "2020-04-28T00:00:00.000Z") { accountId lines { category namedUsers } } }',
        variables: { a: b.accountId },
      },
      adminSees: true,
    },
    'Query.usageSessions': {
      foreign: {
        query:
          'query($s: ID!, $from: DateTime, $to: DateTime) { usageSessions(serverId: $s, from: $from, to: $to) { start server { id } } }',
        variables: { s, ...MATRIX_RANGE },
      },
      adminSees: true,
    },
    'Mutation.setBillingBasis': {
      foreign: {
        query: 'mutation($a: ID!) { setBillingBasis(accountId: $a, basis: CONCURRENT) { id } }',
        variables: { a: b.accountId },
      },
    },
    'Mutation.uploadUsageFile': {
      foreign: {
        query:
          'mutation($s: ID!, $n: String!, $c: String!) { uploadUsageFile(serverId: $s, fileName: $n, content: $c) { id server { id } } }',
        variables: { s, n: file.fileName, c: file.content },
      },
    },
    // Billing owns none of its keyed types: what it adds to them applies the policy.
    'Entity.Account': {
      foreign: entityOperation(
        'Account',
        { id: b.accountId },
        'billingBasis usageUploadStatus { state files }',
      ),
      adminSees: 'answers',
    },
    'Entity.Server': {
      foreign: entityOperation('Server', { id: s }, 'usageTracking'),
      adminSees: 'answers',
    },
    // Billing adds nothing to CicUser: the key is all there is, and it is the caller's own.
    'Entity.CicUser': { foreign: entityOperation('CicUser', { id: b.userId }, 'id'), answer: 'own-only' },
  };
}
