// Writes the suite's totals where .ci/run can print them as its last line (`file` names it; totals.txt by default).
const fs = require("node:fs");
const path = require("node:path");

class TotalsReporter {
  constructor(_globalConfig, options = {}) {
    this.file = options.file ?? "totals.txt";
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const dir = path.join(__dirname, "..", "..", "test-results");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, this.file), `${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = TotalsReporter;
