import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The composed supergraph committed beside the gateway (`npm run compose` rewrites it). */
export const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');

export function loadSupergraphSdl(path = SUPERGRAPH_PATH): string {
  return readFileSync(path, 'utf8');
}
