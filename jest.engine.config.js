// The engine suite (`npm run test:engine`): the real Pulumi CLI, one step after another, so one worker. Its modules are
// transformed as `npm test`'s are (jest.config.js).
const { transform, transformIgnorePatterns } = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/engine"],
  testMatch: ["**/*.engine.test.ts"],
  transform,
  transformIgnorePatterns,
  setupFilesAfterEnv: ["<rootDir>/test/support/tempDirs.setup.ts"],
  testTimeout: 10 * 60_000,
  maxWorkers: 1,
  reporters: ["default", ["<rootDir>/test/support/totalsReporter.js", { file: "engine-totals.txt" }]],
};
