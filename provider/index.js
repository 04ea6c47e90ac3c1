// The plugin's entry, run by the Node.js language host as plain JavaScript: it registers tsx (the project's
// TypeScript loader, as `npm run plan` uses it) and starts the provider. No type check at start-up: `npm test` does it.
require("tsx/cjs");
require("./main.ts");
