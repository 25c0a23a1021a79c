import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // Decorated classes need their parameter types at run time (decorator metadata).
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
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
      'shared/src/testing/**/*.ts',
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
    ignores: ['**/*.test.ts', 'gateway/src/testing/**'],
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
