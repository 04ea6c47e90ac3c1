// The program's entry for the Pulumi CLI: registers tsx and runs index.ts, without the language host's ts-node type
// check at every command (`npm test` type-checks), as entra-tap's provider plugin starts (provider/index.js).
require("tsx/cjs");
module.exports = require("./index.ts");
