// tapBootstrapFailed: an onboarding grant's pass used, and no phishing-resistant method registered within
// entra-tap:bootstrap.registrationWithinMinutes; each sign-in judged once.
import {
  grantUserRegistrations,
  grantUserTapSignIns,
  phishingResistantRegistrationEvents,
  tapSignInEvents,
} from "../../components/detections/fragments";
import { grantsFunctionAlias } from "../../components/detections/grantFunctions";
import { kqlMinutes, kqlTimespan } from "../../components/detections/kql";
import { tapBootstrapFailed } from "../../components/detections/tapBootstrapFailed";
import {
  onboardingPurposes,
  phishingResistantRegistrationWords,
  registrationAuditOperation,
  registrationWithinMinutesRange,
} from "../../components/passBootstrap";
import { kqlErrors } from "../support/kusto";
import { context } from "./detections.support";

/** Minutes in an ISO 8601 duration of minutes, hours or days. */
function minutes(duration: string): number {
  const [, days, amount, unit] = /^P(?:(\d+)D|T(\d+)([MH]))$/.exec(duration)!;
  return days !== undefined ? Number(days) * 1440 : Number(amount) * (unit === "H" ? 60 : 1);
}

describe("tapBootstrapFailed", () => {
  const query = (within: number, schedule?: { evaluationFrequency: string; windowSize: string }) =>
    tapBootstrapFailed.query({ ...context, registrationWithinMinutes: within }, schedule);

  it("looks at the sign-ins of one evaluation period that ended registrationWithinMinutes ago", () => {
    const text = query(60);
    expect(text).toContain("let Within = 60m;");
    expect(text).toContain("let Every = 15m;");
    expect(text).toContain("| where TimeGenerated >= ago(Within + Every) and TimeGenerated < ago(Within)");
    expect(query(720)).toContain("let Within = 720m;");
    expect(query(10)).toContain("let Within = 10m;");
  });

  it("judges each sign-in exactly once: consecutive runs look at adjacent, half-open periods", () => {
    const { evaluationFrequency } = tapBootstrapFailed;
    expect(evaluationFrequency).toBe("PT15M");
    const within = 45;
    const every = minutes(evaluationFrequency);
    // A run at `at` (minutes) looks at [at - within - every, at - within): the next run's period starts where this
    // one's ends, with no gap and no overlap.
    const period = (at: number) => [at - within - every, at - within];
    for (const at of [0, 15, 30, 1440]) expect(period(at + every)[0]).toBe(period(at)[1]);
    // The query's period is that one: its Every is the rule's frequency, also when config overrides it.
    expect(query(within, { evaluationFrequency: "PT30M", windowSize: "P1D" })).toContain("let Every = 30m;");
    expect(query(within)).toMatch(/>= ago\(Within \+ Every\) and TimeGenerated < ago\(Within\)/);
  });

  it("runs over a window that covers the longest registrationWithinMinutes and one evaluation period", () => {
    expect(tapBootstrapFailed.windowSize).toBe("P1D");
    expect(minutes(tapBootstrapFailed.windowSize)).toBeGreaterThanOrEqual(
      registrationWithinMinutesRange.max + minutes(tapBootstrapFailed.evaluationFrequency),
    );
  });

  it("counts a registration within registrationWithinMinutes after the sign-in, by the grant's user", () => {
    const text = query(60);
    expect(text).toContain("| join kind=leftouter Registrations on $left.GrantUser == $right.UserKey");
    expect(text).toContain("countif(RegisteredAt between (TimeGenerated .. TimeGenerated + Within))");
    expect(text).toContain("| where Registered == 0");
  });

  it("checks successful pass sign-ins of onboarding grants, inside the grant's window", () => {
    const text = query(60);
    expect(text).toContain(`let Grants = ${grantsFunctionAlias}();`);
    expect(text).toContain(grantUserTapSignIns);
    expect(grantUserTapSignIns).toContain(tapSignInEvents);
    expect(grantUserTapSignIns).toContain("| where StepSucceeded");
    expect(text).toContain(
      `let OnboardingPurposes = dynamic([${onboardingPurposes.map((p) => `"${p}"`).join(", ")}]);`,
    );
    expect(text).toContain(
      "| where Purpose in (OnboardingPurposes) and TimeGenerated between (GrantStart .. GrantExpiry)",
    );
  });

  it("reads registrations from the shared filter: the operation and the reason's words, target or initiator", () => {
    expect(query(60)).toContain(grantUserRegistrations);
    expect(grantUserRegistrations).toContain(phishingResistantRegistrationEvents);
    const words = `dynamic([${phishingResistantRegistrationWords.map((w) => `"${w}"`).join(", ")}])`;
    expect(phishingResistantRegistrationEvents).toContain(
      `| where OperationName == "${registrationAuditOperation}"`,
    );
    expect(phishingResistantRegistrationEvents).toContain(
      `| where ResultReason has_any (${words}) or ResultDescription has_any (${words})`,
    );
    expect(phishingResistantRegistrationEvents).toContain("tolower(tostring(TargetResources[0].id))");
    expect(phishingResistantRegistrationEvents).toContain("tolower(tostring(InitiatedBy.user.id))");
    expect(
      kqlErrors(`${phishingResistantRegistrationEvents}\n| project TimeGenerated, Registration, UserKeys`),
    ).toEqual([]);
  });

  it.each([10, 60, 720])("binds with registrationWithinMinutes %i", (within) => {
    expect(kqlErrors(query(within))).toEqual([]);
  });

  it("takes only a whole number of minutes into the query", () => {
    expect(kqlMinutes(60)).toBe("60m");
    expect(() => kqlMinutes(1.5)).toThrow("not a whole number of minutes");
    expect(() => kqlMinutes(-1)).toThrow("not a whole number of minutes");
    expect(() => kqlMinutes(Number.NaN)).toThrow("not a whole number of minutes");
    expect(() => query(Number.POSITIVE_INFINITY)).toThrow("not a whole number of minutes");
    expect(kqlTimespan(tapBootstrapFailed.evaluationFrequency)).toBe("15m");
  });
});
