import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = dirname(fileURLToPath(import.meta.url));

/** Workspace folders and their package names; the longest folder that holds a file owns it. */
const PACKAGES = {
  shared: '@lic/shared',
  testing: '@lic/testing',
  'subgraphs/accounts': '@lic/accounts',
  'subgraphs/allocation': '@lic/allocation',
  'subgraphs/billing': '@lic/billing',
  'subgraphs/enforcement': '@lic/enforcement',
  gateway: '@lic/gateway',
  'gateway/dashboard': '@lic/gateway/dashboard',
  scripts: '@lic/scripts',
  bench: '@lic/bench',
  faults: '@lic/faults',
  e2e: 'e2e',
  examples: 'examples',
};
const SUBGRAPHS = ['@lic/accounts', '@lic/allocation', '@lic/billing', '@lic/enforcement'];

/**
 * Which of our packages a package may import (packages not listed may import any). The
 * dependencies run one way: shared <- subgraphs, gateway <- scripts <- bench, faults, e2e.
 * Test support (`@lic/testing`) is for tests only: a package's tests (`*.test.ts`, `test/`) may
 * import it, its shipped code may not.
 */
const MAY_IMPORT = {
  '@lic/shared': [],
  '@lic/testing': ['@lic/shared'],
  ...Object.fromEntries(SUBGRAPHS.map((name) => [name, ['@lic/shared']])),
  '@lic/gateway': ['@lic/shared'],
  '@lic/gateway/dashboard': [],
};

function packageOfPath(absolute) {
  const path = relative(ROOT, absolute).split(sep).join('/');
  let owner;
  for (const folder of Object.keys(PACKAGES)) {
    if ((path === folder || path.startsWith(`${folder}/`)) && (!owner || folder.length > owner.length)) {
      owner = folder;
    }
  }
  return owner && PACKAGES[owner];
}

function packageOfSpecifier(specifier, filename) {
  if (specifier.startsWith('.')) return packageOfPath(resolve(dirname(filename), specifier));
  const match = /^@lic\/([^/]+)/.exec(specifier);
  return match ? `@lic/${match[1]}` : undefined;
}

/** Package boundaries: an import (bare `@lic/...` or a relative path) into a package not allowed. */
const boundaries = {
  meta: { type: 'problem', schema: [], messages: { forbidden: '{{from}} may not import {{to}}.' } },
  create(context) {
    const from = packageOfPath(context.filename);
    const shipped = from && MAY_IMPORT[from];
    if (!shipped) return {};
    const path = relative(ROOT, context.filename).split(sep).join('/');
    const isTest =
      /\.test\.ts$/.test(path) || /^(subgraphs\/[^/]+|gateway|shared|scripts)\/test\//.test(path);
    const allowed = isTest ? [...shipped, '@lic/testing'] : shipped;
    const check = (source) => {
      if (!source || typeof source.value !== 'string') return;
      const to = packageOfSpecifier(source.value, context.filename);
      if (to && to !== from && !allowed.includes(to)) {
        context.report({ node: source, messageId: 'forbidden', data: { from, to } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      'coverage/**',
      '**/__generated__/**',
      'bench/results/**',
      'faults/results/**',
      'test-artifacts/**',
      'gateway/dashboard-dist/**',
      '.nx/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    // Decorated classes need their parameter types at run time (decorator metadata). Type-aware
    // rules read each file's own tsconfig.json (the project service).
    languageOptions: {
      parserOptions: {
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
        projectService: true,
        tsconfigRootDir: ROOT,
      },
    },
    plugins: { lic: { rules: { boundaries } } },
    rules: {
      'lic/boundaries': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through loadConfig() in shared/src/config.',
        },
      ],
    },
  },
  {
    files: [
      'shared/src/config/**/*.ts',
      'testing/**/*.ts',
      'subgraphs/*/test/**/*.ts',
      'gateway/test/**/*.ts',
      '**/*.test.ts',
      'e2e/**/*.ts',
      'bench/**/*.ts',
      'faults/**/*.ts',
      'scripts/src/**/*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The gateway opens no database: the whole shared library would cost it about 70 MB resident.
    files: ['gateway/src/**/*.ts', 'scripts/src/service.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@lic/shared',
              message: "Import from '@lic/shared/core' (no TypeORM, ioredis, type-graphql).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
