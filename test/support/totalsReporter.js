// Writes the suite's totals where .ci/run can print them as its last line.
const fs = require("node:fs");
const path = require("node:path");

class TotalsReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const dir = path.join(__dirname, "..", "..", "test-results");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "totals.txt"), `${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = TotalsReporter;
