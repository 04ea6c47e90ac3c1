// index.ts hands the monitoring what the stack says of passes: each grant's purpose, the known issuers and the time a
// bootstrap is given (the dev stack with those set).
import type { DeclaredResource } from "../scripts/declaredResources";
import { evaluateDevStack } from "./support/devStackProgram";

const lifecycleWorkflows = "0a4b6c8d-2e1f-4a3b-8c5d-7e9f1a2b3c4d";

describe("the program's monitoring with purposes, known issuers and a bootstrap time", () => {
  let declared: DeclaredResource[];

  beforeAll(async () => {
    ({ declared } = await evaluateDevStack([], (config) => {
      const grants = JSON.parse(config["entra-tap:grants"]) as { name: string; purpose?: string }[];
      for (const grant of grants)
        if (grant.name === "new-hire-sofia-rossi") grant.purpose = "passkey-onboarding";
      config["entra-tap:grants"] = JSON.stringify(grants);
      config["entra-tap:knownIssuers"] = JSON.stringify([
        { name: "Lifecycle Workflows", id: lifecycleWorkflows },
      ]);
      config["entra-tap:bootstrap"] = JSON.stringify({ registrationWithinMinutes: 90 });
    }));
  });

  const named = (name: string) => declared.find((r) => r.name === name)!;
  const query = (name: string) =>
    (named(name).inputs.criteria as { allOf: { query: string }[] }).allOf[0].query;

  it("puts each grant's purpose in the grants function, and nothing where a grant names none", () => {
    const body = named("tap-monitoring-function-EntraTapGrants").inputs.query as string;
    expect(body).toMatch(/"new-hire-sofia-rossi", [^\n]*, "passkey-onboarding",?\n/);
    expect(body).toMatch(/"contractor-jane-doe", [^\n]*, "",?\n/);
  });

  it("trusts the known issuers' passes and gives a bootstrap the configured time", () => {
    expect(query("tap-monitoring-tapIssuedOutOfProcess")).toContain(
      `let KnownIssuers = dynamic(["${lifecycleWorkflows}"]);`,
    );
    expect(query("tap-monitoring-tapBootstrapFailed")).toContain("let Within = 90m;");
  });
});
