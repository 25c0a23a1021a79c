import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printApiSchema, printSubgraphSchemas, printSupergraph } from './schemas.js';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const HINT = 'stale: run `npm run generate` and commit the result';

describe('generated artefacts match their source', () => {
  it('each subgraph SDL, the supergraph and its API schema', async () => {
    const subgraphs = await printSubgraphSchemas();
    for (const { name, sdl } of subgraphs) {
      expect({
        file: `subgraphs/${name}/schema.graphql`,
        sdl: read(`subgraphs/${name}/schema.graphql`),
      }).toEqual({
        file: `subgraphs/${name}/schema.graphql`,
        sdl,
      });
    }
    const supergraph = printSupergraph(subgraphs);
    expect(
      read('gateway/supergraph.graphql') === supergraph ? 'fresh' : `gateway/supergraph.graphql ${HINT}`,
    ).toBe('fresh');
    expect(
      read('gateway/api-schema.graphql') === printApiSchema(supergraph) ? 'fresh' : `api-schema ${HINT}`,
    ).toBe('fresh');
  });

  it('the typed operations of codegen.yml', () => {
    // Codegen's CLI is ESM-heavy; run it as users do, into a scratch folder, and compare.
    const scratch = mkdtempSync(join(tmpdir(), 'codegen-'));
    try {
      const yml = read('codegen.yml').replace('e2e/__generated__/:', `${join(scratch, 'out')}/:`);
      writeFileSync(join(scratch, 'codegen.yml'), yml);
      const run = spawnSync(
        join(root, 'node_modules', '.bin', 'graphql-codegen'),
        ['--config', join(scratch, 'codegen.yml'), '--silent'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      expect(run.stderr + run.stdout).not.toMatch(/error/i);
      const files = readdirSync(join(scratch, 'out')).sort();
      expect(files).toEqual(readdirSync(join(root, 'e2e', '__generated__')).sort());
      for (const file of files) {
        const fresh =
          readFileSync(join(scratch, 'out', file), 'utf8') === read(join('e2e', '__generated__', file));
        expect(fresh ? `${file} fresh` : `e2e/__generated__/${file} ${HINT}`).toBe(`${file} fresh`);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
