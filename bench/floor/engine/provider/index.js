// The floor provider's entry, loaded as entra-tap's provider/index.js loads its own.
require("tsx/cjs");
require("./main.ts");
