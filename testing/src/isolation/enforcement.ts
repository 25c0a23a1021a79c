import { type MatrixEntry, entityOperation } from '../isolation-matrix.js';

/**
 * The enforcement subgraph's rows of the tenant-isolation matrix: every root field, entity and
 * subscription, aimed at tenant B's server (used by the subgraph's own test and, without the
 * entities, through the gateway).
 */
export function enforcementMatrix(b: { serverId: string; accountId: string }): Record<string, MatrixEntry> {
  const id = b.serverId;
  const read = (query: string): MatrixEntry => ({
    foreign: { query, variables: { id } },
    adminSees: 'answers',
  });
  return {
    'Query.enforcementCheckIns': read(
      'query($id: ID!) { enforcementCheckIns(serverId: $id, limit: 10) { id kind success } }',
    ),
    'Query.enforcementHistory': read('query($id: ID!) { enforcementHistory(serverId: $id) { from to at } }'),
    'Query.enforcementHistoryConnection': read(
      'query($id: ID!) { enforcementHistoryConnection(serverId: $id) { edges { node { from to at } } } }',
    ),
    'Query.enforcementStatus': read('query($id: ID!) { enforcementStatus(serverId: $id) { stage since } }'),
    'Mutation.recordCheckIn': {
      foreign: {
        query: 'mutation($id: ID!) { recordCheckIn(serverId: $id, success: true, kind: PERIODIC) { stage } }',
        variables: { id },
      },
    },
    'Mutation.checkIn': {
      foreign: {
        query: 'mutation($id: ID!) { checkIn(serverId: $id) { stage goodStanding } }',
        variables: { id },
      },
    },
    // The licensing team's own operations: every other role and no token are refused (the admin's
    // answer is not asked for, as it would change tenant B's standing under the other rows).
    'Mutation.overrideGoodStanding': {
      foreign: {
        query: 'mutation($id: ID!) { overrideGoodStanding(serverId: $id, reason: "matrix") { stage } }',
        variables: { id },
      },
    },
    'Mutation.placeAccountOnHold': {
      foreign: {
        query: 'mutation($a: ID!) { placeAccountOnHold(accountId: $a, reason: "matrix") { id reason } }',
        variables: { a: b.accountId },
      },
    },
    'Mutation.liftAccountHold': {
      foreign: {
        query: 'mutation($a: ID!) { liftAccountHold(accountId: $a) { id reason } }',
        variables: { a: b.accountId },
      },
    },
    'Query.accountHolds': {
      foreign: {
        query: 'query($a: ID!) { accountHolds(accountId: $a) { id reason placedBy } }',
        variables: { a: b.accountId },
      },
      adminSees: 'answers',
    },
    'Subscription.enforcementStageChanged': {
      foreign: {
        query: 'subscription($id: ID) { enforcementStageChanged(serverId: $id) { from to server { id } } }',
        variables: { id },
      },
      also: [
        {
          query:
            'subscription($account: ID) { enforcementStageChanged(accountId: $account) { from to server { id } } }',
          variables: { account: b.accountId },
        },
      ],
    },
    // Allocation owns Server; the enforcement status added to it applies the policy.
    'Entity.Server': {
      foreign: entityOperation('Server', { id }, 'enforcementStatus { stage since }'),
      adminSees: 'answers',
    },
  };
}
