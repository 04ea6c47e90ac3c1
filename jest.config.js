/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The engine suite runs the real Pulumi CLI: `npm run test:engine`, with its own config.
  testPathIgnorePatterns: ["/node_modules/", "/test/engine/"],
  // Type checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles (isolatedModules).
  transform: {
    "^.+\\.ts$": "ts-jest",
    // age-encryption and its @noble/@scure dependencies ship ES modules only; jest's module system is CommonJS (Node 22
    // can require them, jest before Node 24.9 cannot), so they are transpiled too.
    "/node_modules/(age-encryption|@noble|@scure)/.+\\.js$": ["ts-jest", { tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(age-encryption|@noble|@scure)/)"],
  // Each test file's temporary folders (test/support/tempDirs.ts) are removed when it ends.
  setupFilesAfterEnv: ["<rootDir>/test/support/tempDirs.setup.ts"],
  testTimeout: 60000,
  // A worker per core: jest's default leaves one core free, which on a 2-core machine runs the files one by one.
  maxWorkers: "100%",
  reporters: ["default", "<rootDir>/test/support/totalsReporter.js"],
};
