// tap-audit-trail's config: the detections it requires, the strict pack's, and its enforcement level.
import * as fs from "node:fs";
import * as path from "node:path";
import { detectionKeys, detectionTag, resourceTypes } from "../../../policies/lib";
import { auditTrail } from "../../../policies/rules/auditTrail";
import {
  alertRule,
  check,
  fullStack,
  messages,
  policyName,
  replace,
  tapPolicy,
  violation,
} from "./auditTrail.support";

describe(policyName, () => {
  describe("config", () => {
    const noDiagnostics = () => replace(fullStack(), "monitoring-entra-logs", undefined);

    it("requires tapIssued, tapDeleted and tapPolicyChanged by default, among the detections it knows", () => {
      const schema = auditTrail.configSchema!.properties!.requiredDetections as {
        default: string[];
        items: { enum: string[] };
      };
      expect(schema.default).toEqual(["tapIssued", "tapDeleted", "tapPolicyChanged"]);
      expect(schema.items.enum).toEqual([...detectionKeys]);
    });

    it("requires the detections the config lists instead", async () => {
      const required = { [policyName]: { requiredDetections: ["tapIssued", "accessAfterGrantWindow"] } };
      const withoutDeleted = replace(fullStack(), "monitoring-tapDeleted", undefined);
      expect(await check(withoutDeleted, required)).toEqual([
        violation("TAP is enabled but the accessAfterGrantWindow detection has no alert rule."),
      ]);
      const withRule = [
        ...withoutDeleted,
        { ...alertRule("tapIssued"), name: "monitoring-accessAfterGrantWindow" },
      ].map((r) =>
        r.name === "monitoring-accessAfterGrantWindow"
          ? {
              ...r,
              props: { ...r.props, tags: { [detectionTag]: "accessAfterGrantWindow" }, enabled: false },
            }
          : r,
      );
      expect(await check(withRule, required)).toEqual([
        violation("the accessAfterGrantWindow alert rule is disabled.", "monitoring-accessAfterGrantWindow"),
      ]);
    });

    it("requires no detection when the config lists none, and still checks the rest", async () => {
      expect(await check(noDiagnostics(), { [policyName]: { requiredDetections: [] } })).toEqual([
        violation(messages.noAuditLogs),
      ]);
      const noRules = fullStack().filter((r) => r.type !== resourceTypes.alertRule);
      expect(await check(noRules, { [policyName]: { requiredDetections: [] } })).toEqual([]);
    });

    it("requires the new detections under the strict pack config", async () => {
      const strict = JSON.parse(
        fs.readFileSync(path.join(__dirname, "../../../policies/config/strict.json"), "utf8"),
      ) as Record<string, { requiredDetections?: string[] }>;
      expect(strict[policyName].requiredDetections).toEqual([
        "tapIssued",
        "tapDeleted",
        "tapPolicyChanged",
        "accessAfterGrantWindow",
        "privilegedOperationByTemporaryUser",
        "unexpectedGrantLocation",
      ]);
      expect(await check(fullStack(), strict)).toEqual([
        violation("TAP is enabled but the accessAfterGrantWindow detection has no alert rule."),
        violation("TAP is enabled but the privilegedOperationByTemporaryUser detection has no alert rule."),
        violation("TAP is enabled but the unexpectedGrantLocation detection has no alert rule."),
      ]);
    });

    it("reports at the advisory level when configured so", async () => {
      expect(await check(noDiagnostics(), { [policyName]: "advisory" })).toEqual([
        violation(messages.noAuditLogs, null, "advisory"),
      ]);
      const disabledRule = replace(
        fullStack(),
        "monitoring-tapIssued",
        alertRule("tapIssued", { enabled: false }),
      );
      expect(await check(disabledRule, { [policyName]: { enforcementLevel: "advisory" } })).toEqual([
        violation(messages.disabled("tapIssued"), "monitoring-tapIssued", "advisory"),
      ]);
    });

    it("reports nothing when disabled", async () => {
      expect(await check([tapPolicy("enabled")], { [policyName]: "disabled" })).toEqual([]);
      expect(await check([tapPolicy("enabled")], { all: "disabled" })).toEqual([]);
    });
  });
});
