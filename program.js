// The program's entry for the Pulumi CLI: registers tsx and runs index.ts, as entra-tap's provider plugin starts
// (provider/index.js), without the language host's ts-node type check at every command: `npm test` type-checks.
require("tsx/cjs");
module.exports = require("./index.ts");
