// The plugin's entry, run by the Node.js language host as plain JavaScript. From a checkout, it registers tsx (the
// project's TypeScript loader, as `npm run plan` uses it) and starts main.ts, with no type check at start-up (`npm test`
// does it); from the package (`npm run package`), it starts main.js, the same code compiled.
const fs = require("node:fs");
const path = require("node:path");

if (fs.existsSync(path.join(__dirname, "main.ts"))) {
  require("tsx/cjs");
  require("./main.ts");
} else {
  require("./main.js");
}
