/** Jest runs TypeScript through SWC (decorator metadata on); `tsc -b` in the test command type-checks. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': swc,
    // jose is ESM-only; Jest on Node 20 cannot require ESM, so it is compiled to CommonJS here.
    '^.+/node_modules/jose/.+\\.js$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testMatch: ['<rootDir>/**/src/**/*.test.ts', '<rootDir>/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  moduleNameMapper: {
    '^@lic/shared$': '<rootDir>/shared/src/index.ts',
    '^@lic/testing$': '<rootDir>/testing/src/index.ts',
    '^@lic/(accounts|allocation|billing|enforcement)$': '<rootDir>/subgraphs/$1/src/index.ts',
    '^@lic/gateway$': '<rootDir>/gateway/src/index.ts',
    '^@lic/scripts$': '<rootDir>/scripts/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 60000,
};
