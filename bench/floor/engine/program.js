// The floor's entry, loaded as the engine suite's program loads its own (test/engine/program/program.js).
require("tsx/cjs");
module.exports = require("./index.ts");
