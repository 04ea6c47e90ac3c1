// What a pass was for, judged directly: the method that fulfilled it, an onboarding that left none, and who issued a
// pass no grant explains.
import type { Explanation } from "../../../scripts/review/classify";
import { explainByIssuer, fulfilmentOf, hasBootstrapFailed } from "../../../scripts/review/passPurpose";
import type { ScannedPass } from "../../../scripts/review/scan";

const now = Date.parse("2026-12-03T12:00:00Z");
const hour = 3_600_000;

function pass(start: number, minutes: number): ScannedPass {
  return {
    id: "pass-1",
    createdDateTime: new Date(start).toISOString(),
    startDateTime: new Date(start).toISOString(),
    endDateTime: new Date(start + minutes * 60_000).toISOString(),
    lifetimeInMinutes: minutes,
    isUsableOnce: true,
    isUsable: true,
    methodUsabilityReason: "EnabledByPolicy",
  };
}

describe("what a pass was for", () => {
  const passkey = (at: number) => ({ name: "passkey (FIDO2)", createdDateTime: new Date(at).toISOString() });

  it("is fulfilled by the first phishing-resistant method registered at or after its start", () => {
    const start = pass(now - hour, 120);
    expect(fulfilmentOf(start, [passkey(now - 2 * hour)])).toBeNull();
    expect(fulfilmentOf(start, [{ name: "passkey (FIDO2)", createdDateTime: null }])).toBeNull();
    expect(fulfilmentOf(start, [passkey(now), passkey(now - hour)])).toEqual({
      method: "passkey (FIDO2)",
      registeredAt: new Date(now - hour).toISOString(),
    });
  });

  it("calls an onboarding failed only when its pass was used, left nothing, and its time is up", () => {
    const used = { state: "used" as const, start: new Date(now - 2 * hour).toISOString(), fulfilled: null };
    expect(hasBootstrapFailed(used, "passkey-onboarding", 60, now)).toBe(true);
    expect(hasBootstrapFailed(used, "passkey-onboarding", 180, now)).toBe(false);
    expect(hasBootstrapFailed(used, "support", 60, now)).toBe(false);
    expect(hasBootstrapFailed(used, undefined, 60, now)).toBe(false);
    expect(hasBootstrapFailed({ ...used, state: "usable" }, "passkey-onboarding", 60, now)).toBe(false);
    expect(
      hasBootstrapFailed(
        { ...used, fulfilled: { method: "x", registeredAt: used.start } },
        "windows-hello-onboarding",
        60,
        now,
      ),
    ).toBe(false);
  });

  it("is explained by a known issuer by service principal or application id; other issuers are named", () => {
    const known = [{ name: "Lifecycle Workflows", id: "aaaaaaaa-0000-4000-8000-000000000001" }];
    const app = { kind: "app" as const, id: "bbbbbbbb-0000-4000-8000-000000000002", name: "Some app" };
    expect(explainByIssuer({ kind: "undeclared" }, { ...app, id: known[0].id }, known)).toEqual({
      kind: "knownIssuer",
      issuer: "Lifecycle Workflows",
    });
    expect(explainByIssuer({ kind: "undeclared" }, { ...app, appId: known[0].id }, known)).toEqual({
      kind: "knownIssuer",
      issuer: "Lifecycle Workflows",
    });
    expect(explainByIssuer({ kind: "undeclared", detail: "outside x" }, app, known)).toEqual({
      kind: "undeclared",
      detail: "outside x; issued by app Some app",
    });
    expect(explainByIssuer({ kind: "undeclared" }, undefined, known)).toEqual({ kind: "undeclared" });
    // A pass a grant explains stays the grant's, whoever issued it.
    const granted = { kind: "grant", grant: { name: "contractor-jane-doe" } } as unknown as Explanation;
    expect(explainByIssuer(granted, { ...app, id: known[0].id }, known)).toBe(granted);
  });
});
