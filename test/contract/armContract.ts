// The contract test's body, shared by the stacks it checks (armRules.dev.test.ts, armRules.large.test.ts): every
// azure-native and azuread resource a stack declares, against ARM's rules (armRules.ts). Tests are made from the
// rules, so each rule is a test of its own; the stack is evaluated once, in `beforeAll`.
import type { DeclaredResource } from "../../scripts/declaredResources";
import { kqlErrors } from "../support/kusto";
import { fieldProblems } from "./armChecks";
import { armRules, isArmType, stackRules } from "./armRules";

/** At most this many problems are listed per rule; the rest are counted. */
const shown = 10;

/** A test's name: what is allowed, cut where a long list of values would make it unreadable. */
const title = (text: string) => (text.length > 140 ? `${text.slice(0, 137)}...` : text);

function summary(problems: string[]): string[] {
  return problems.length <= shown
    ? problems
    : [...problems.slice(0, shown), `... and ${problems.length - shown} more`];
}

/**
 * Declares the contract's tests for a stack. `evaluate` runs once (in `beforeAll`, within `timeoutMs`); `mustDeclare`
 * lists types the stack is meant to exercise (a rule over a type the stack no longer declares would pass unseen).
 */
export function describeArmContract(
  stack: string,
  evaluate: () => DeclaredResource[],
  options: { timeoutMs: number; mustDeclare: string[] },
): void {
  describe(`ARM's rules over the ${stack} stack's Azure and Entra resources`, () => {
    let declared: DeclaredResource[] = [];
    const byType = new Map<string, DeclaredResource[]>();
    let unknownValues = 0;

    beforeAll(() => {
      declared = evaluate();
      for (const resource of declared.filter((r) => isArmType(r.type))) {
        byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource]);
      }
    }, options.timeoutMs);

    it("has rules for every azure-native and azuread type it declares", () => {
      expect([...byType.keys()].filter((type) => !(type in armRules))).toEqual([]);
    });

    it("declares the types it is meant to exercise", () => {
      expect([...byType.keys()]).toEqual(expect.arrayContaining(options.mustDeclare));
    });

    for (const [type, rules] of Object.entries(armRules)) {
      describe(`${type} (${rules.api})`, () => {
        for (const rule of rules.fields) {
          it(title(`${rule.path}${rule.required ? " (required)" : ""}: ${rule.check.allowed}`), () => {
            const problems = (byType.get(type) ?? []).flatMap((resource) => {
              const found = fieldProblems(rule, resource.inputs);
              unknownValues += found.unknown;
              return found.problems.map((problem) => `${resource.name}: ${problem}`);
            });
            expect({ source: rule.source, problems: summary(problems) }).toEqual({
              source: rule.source,
              problems: [],
            });
          });
        }
        for (const rule of rules.resource ?? []) {
          it(title(rule.rule), () => {
            const problems = (byType.get(type) ?? []).flatMap((resource) =>
              rule.problems(resource.inputs, resource).map((problem) => `${resource.name}: ${problem}`),
            );
            expect({ source: rule.source, problems: summary(problems) }).toEqual({
              source: rule.source,
              problems: [],
            });
          });
        }
      });
    }

    describe("across the stack's resources", () => {
      for (const rule of stackRules) {
        it(title(rule.rule), () => {
          const problems = rule.problems(declared.filter((r) => isArmType(r.type)));
          expect({ source: rule.source, problems: summary(problems) }).toEqual({
            source: rule.source,
            problems: [],
          });
        });
      }
    });

    // What Log Analytics does before it saves a rule: parse and bind its query (against the tables and the functions).
    it("declares rule queries that parse and bind, the grants' functions included", () => {
      const queries = declared.flatMap((resource) => {
        if (resource.type === "azure-native:securityinsights:ScheduledAlertRule")
          return [[resource.name, resource.inputs.query as string]];
        if (resource.type === "azure-native:monitor:ScheduledQueryRule") {
          const { allOf } = resource.inputs.criteria as { allOf: { query: string }[] };
          return allOf.map((condition) => [resource.name, condition.query]);
        }
        return [];
      });
      expect(queries.length).toBeGreaterThan(0);
      const problems = queries.flatMap(([name, query]) =>
        kqlErrors(query).map((error) => `${name}: ${error}`),
      );
      expect(summary(problems)).toEqual([]);
    });

    // Rules skip only values the mock runtime could not know (with preview off there should be none): this says so.
    it("skipped no value as unknown", () => {
      expect(unknownValues).toBe(0);
    });
  });
}
