// Bundles the dashboard (Preact, uPlot, graphql-ws) into dist/public/, served by the gateway at
// /dashboard. Everything is bundled here, at build time: the page loads nothing from a CDN.
//   node gateway/dashboard/build.mjs           production bundle (minified)
//   node gateway/dashboard/build.mjs --watch   rebuild on change (development)
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
export const PUBLIC_DIR = join(root, 'dist', 'public');

/** @returns {import('esbuild').BuildOptions} */
function options(minify) {
  return {
    absWorkingDir: root,
    entryPoints: { app: 'src/main.tsx' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    sourcemap: 'linked',
    legalComments: 'linked',
    outdir: PUBLIC_DIR,
    logLevel: 'warning',
  };
}

async function copyStatic() {
  await copyFile(join(root, 'src', 'index.html'), join(PUBLIC_DIR, 'index.html'));
  await copyFile(join(root, 'src', 'favicon.svg'), join(PUBLIC_DIR, 'favicon.svg'));
}

export async function buildDashboard({ minify = true } = {}) {
  await rm(PUBLIC_DIR, { recursive: true, force: true });
  await mkdir(PUBLIC_DIR, { recursive: true });
  await esbuild.build(options(minify));
  await copyStatic();
  return PUBLIC_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--watch')) {
    await mkdir(PUBLIC_DIR, { recursive: true });
    await copyStatic();
    const context = await esbuild.context(options(false));
    await context.watch();
    console.log(`watching ${join(root, 'src')} -> ${PUBLIC_DIR}`);
  } else {
    const dir = await buildDashboard();
    console.log(`dashboard built in ${dir}`);
  }
}
