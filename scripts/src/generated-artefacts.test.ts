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
    const outputs = ['e2e/__generated__', 'gateway/dashboard/src/__generated__'];
    const scratch = mkdtempSync(join(tmpdir(), 'codegen-'));
    try {
      let yml = read('codegen.yml');
      for (const output of outputs) {
        expect(yml).toContain(`  ${output}/:`);
        yml = yml.replace(`  ${output}/:`, `  ${join(scratch, output)}/:`);
      }
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
      for (const output of outputs) {
        const files = readdirSync(join(scratch, output)).sort();
        expect(files).toEqual(readdirSync(join(root, output)).sort());
        for (const file of files) {
          const fresh = readFileSync(join(scratch, output, file), 'utf8') === read(join(output, file));
          expect(fresh ? `${output}/${file} fresh` : `${output}/${file} ${HINT}`).toBe(
            `${output}/${file} fresh`,
          );
        }
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
