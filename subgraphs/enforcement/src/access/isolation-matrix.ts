import { type MatrixEntry, entityOperation } from '@lic/shared/testing';

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
    'Query.enforcementStatus': read('query($id: ID!) { enforcementStatus(serverId: $id) { stage since } }'),
    'Mutation.recordCheckIn': {
      foreign: {
        query: 'mutation($id: ID!) { recordCheckIn(serverId: $id, success: true, kind: PERIODIC) { stage } }',
        variables: { id },
      },
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
