import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printApiSchema, printSupergraph, printSubgraphSchemas } from './schemas.js';

/**
 * `npm run compose`: prints each subgraph's SDL, composes the supergraph the gateway serves, and
 * prints its API schema (what clients and codegen see).
 */
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const subgraphs = await printSubgraphSchemas();
  for (const { name, sdl } of subgraphs) {
    writeFileSync(join(root, 'subgraphs', name, 'schema.graphql'), sdl);
    console.log(`wrote subgraphs/${name}/schema.graphql`);
  }
  const supergraph = printSupergraph(subgraphs);
  writeFileSync(join(root, 'gateway', 'supergraph.graphql'), supergraph);
  console.log('wrote gateway/supergraph.graphql');
  writeFileSync(join(root, 'gateway', 'api-schema.graphql'), printApiSchema(supergraph));
  console.log('wrote gateway/api-schema.graphql');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
