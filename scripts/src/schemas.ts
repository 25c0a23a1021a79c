import { composeServices } from '@apollo/composition';
import { Supergraph, printSchema } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { buildAccountsSchema } from '@lic/accounts';
import { buildAllocationSchema } from '@lic/allocation';
import { buildBillingSchema } from '@lic/billing';
import { buildEnforcementSchema } from '@lic/enforcement';
import { type SubgraphName } from '@lic/shared';

export interface SubgraphSdl {
  name: SubgraphName;
  sdl: string;
}

/** Each subgraph's SDL exactly as its code produces it. */
export async function printSubgraphSchemas(): Promise<SubgraphSdl[]> {
  return [
    { name: 'accounts', sdl: (await buildAccountsSchema()).sdl },
    { name: 'allocation', sdl: (await buildAllocationSchema()).sdl },
    { name: 'billing', sdl: (await buildBillingSchema()).sdl },
    { name: 'enforcement', sdl: (await buildEnforcementSchema()).sdl },
  ];
}

/** Composes the supergraph; the URLs are defaults the gateway replaces from its configuration. */
export function printSupergraph(subgraphs: SubgraphSdl[]): string {
  const ports: Record<SubgraphName, number> = {
    accounts: 4001,
    allocation: 4002,
    billing: 4003,
    enforcement: 4004,
  };
  const result = composeServices(
    subgraphs.map(({ name, sdl }) => ({
      name,
      typeDefs: parse(sdl),
      url: `http://127.0.0.1:${ports[name]}/graphql`,
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}

/** The API schema clients see (the supergraph without federation machinery): codegen reads it. */
export function printApiSchema(supergraphSdl: string): string {
  return `${printSchema(Supergraph.build(supergraphSdl).apiSchema()).trimEnd()}\n`;
}
