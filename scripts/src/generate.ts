import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSupergraph, printSubgraphSchemas } from './schemas.js';

/** `npm run compose`: prints each subgraph's SDL and composes the supergraph the gateway serves. */
async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const subgraphs = await printSubgraphSchemas();
  for (const { name, sdl } of subgraphs) {
    writeFileSync(join(root, 'subgraphs', name, 'schema.graphql'), sdl);
    console.log(`wrote subgraphs/${name}/schema.graphql`);
  }
  writeFileSync(join(root, 'gateway', 'supergraph.graphql'), printSupergraph(subgraphs));
  console.log('wrote gateway/supergraph.graphql');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
