// The pure helpers TapMonitoring builds its rules with: a detection's settings under config overrides, Sentinel's
// severity names, and stable GUIDs for resources whose names must not change.
import { type Detection, detections, grantFunctions, type MonitoredGrant } from "../../components/detections";
import {
  type DetectionOverride,
  detectionSettings,
  grantLocations,
  monitoredGrants,
  sentinelSeverity,
  stableGuid,
} from "../../components/tapMonitoring";

describe("detectionSettings", () => {
  const detection: Detection = {
    key: "tapIssued",
    version: "1.0.0",
    tables: ["AuditLogs"],
    displayName: "Temporary Access Pass issued",
    description: "An admin issued a Temporary Access Pass.",
    blindSpots: "None for this fixture.",
    severity: 3,
    evaluationFrequency: "PT15M",
    windowSize: "PT30M",
    threshold: 1,
    tactics: ["Persistence"],
    techniques: ["T1098"],
    entities: [],
    query: () => "AuditLogs | take 1",
  };
  const defaults = {
    enabled: true,
    severity: 3,
    evaluationFrequency: "PT15M",
    windowSize: "PT30M",
    threshold: 1,
    notify: true,
  };

  it("returns the detection's defaults without an override", () => {
    expect(detectionSettings(detection)).toEqual(defaults);
    expect(detectionSettings(detection, {})).toEqual(defaults);
  });

  it.each<DetectionOverride>([
    { enabled: false },
    { severity: 0 },
    { evaluationFrequency: "PT1H" },
    { windowSize: "P1D" },
    { threshold: 0 },
    { notify: false },
  ])("applies the override %p", (override) => {
    expect(detectionSettings(detection, override)).toEqual({ ...defaults, ...override });
  });

  it("applies every override field at once", () => {
    const override = {
      enabled: false,
      severity: 4,
      evaluationFrequency: "PT5M",
      windowSize: "P2D",
      threshold: 10000,
      notify: false,
    };
    expect(detectionSettings(detection, override)).toEqual(override);
  });

  it.each(detections.map((d) => [d.key, d] as const))(
    "gives %s its own defaults, enabled and notifying",
    (_, d) => {
      expect(detectionSettings(d)).toEqual({
        enabled: true,
        severity: d.severity,
        evaluationFrequency: d.evaluationFrequency,
        windowSize: d.windowSize,
        threshold: d.threshold,
        notify: true,
      });
    },
  );
});

describe("sentinelSeverity", () => {
  it("maps Azure Monitor's 0..4 to Sentinel's names", () => {
    expect(sentinelSeverity).toEqual({ 0: "High", 1: "High", 2: "Medium", 3: "Low", 4: "Informational" });
  });
});

describe("stableGuid", () => {
  const guidForm = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it("is deterministic", () => {
    expect(stableGuid("tap-monitoring/review-workbook")).toBe(stableGuid("tap-monitoring/review-workbook"));
  });

  it("differs for different input", () => {
    expect(stableGuid("tap-monitoring/tapIssued")).not.toBe(stableGuid("tap-monitoring/tapDeleted"));
  });

  it.each(["tap-monitoring/review-workbook", "", "ü/ß"])("has the form of a GUID for %p", (text) => {
    expect(stableGuid(text)).toMatch(guidForm);
  });
});

/** True when A and B are the same type (both ways assignable), false otherwise: a compile-time check. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe("monitoredGrants: the grants the queries embed", () => {
  const day = 86_400_000;
  const now = Date.parse("2027-12-20T00:00:00Z");
  const grant = (name: string, expiry: string): MonitoredGrant => ({
    name,
    user: `${name}@contoso.com`,
    ticket: "CHG-1",
    start: "2027-01-01T00:00:00Z",
    expiry,
  });

  it("keeps grants that have not ended, and ended ones within the retention; older ones drop out", () => {
    const active = grant("active", "2027-12-31T00:00:00Z");
    const endedYesterday = grant("ended-yesterday", new Date(now - day).toISOString());
    const endedAtTheEdge = grant("ended-at-the-edge", new Date(now - 90 * day).toISOString());
    const endedBefore = grant("ended-before", new Date(now - 90 * day - 1).toISOString());
    expect(
      monitoredGrants([active, endedYesterday, endedAtTheEdge, endedBefore], 90, now).map((g) => g.name),
    ).toEqual(["active", "ended-yesterday", "ended-at-the-edge"]);
    expect(monitoredGrants([endedBefore], 365, now).map((g) => g.name)).toEqual(["ended-before"]);
  });

  it("takes a grant's name, user, ticket, start, expiry and purpose, and nothing else it is given", () => {
    const fromConfig = {
      ...grant("contractor", "2027-12-31T00:00:00Z"),
      reason: "Data platform migration",
      requestedBy: "maria.garcia@contoso.com",
      approvedBy: "tom.becker@contoso.com",
      temporaryAccessPass: "pass-code-never-in-a-query",
      expectedLocations: { countries: ["NL"] },
    };
    const [monitored] = monitoredGrants([fromConfig], 90, now);
    expect(Object.keys(monitored).sort()).toEqual(["expiry", "name", "start", "ticket", "user"]);
    expect(JSON.stringify(monitored)).not.toContain("pass-code");
    const [onboarding] = monitoredGrants([{ ...fromConfig, purpose: "passkey-onboarding" }], 90, now);
    expect(Object.keys(onboarding).sort()).toEqual(["expiry", "name", "purpose", "start", "ticket", "user"]);
    expect(onboarding.purpose).toBe("passkey-onboarding");
  });

  it("is typed to hold only those fields, in the workspace functions too", () => {
    const exact: Same<keyof MonitoredGrant, "name" | "user" | "ticket" | "start" | "expiry" | "purpose"> =
      true;
    const functionGrants: Same<Parameters<typeof grantFunctions>[0][number], MonitoredGrant> = true;
    const builderInput: Same<Parameters<typeof monitoredGrants>[0][number], MonitoredGrant> = true;
    expect([exact, functionGrants, builderInput]).toEqual([true, true, true]);
  });

  it("gives the locations of monitored grants that declare some", () => {
    const jane = { ...grant("jane", "2027-12-31T00:00:00Z"), expectedLocations: { countries: ["NL"] } };
    const old = {
      ...grant("old", "2027-01-02T00:00:00Z"),
      expectedLocations: { ipRanges: ["203.0.113.0/24"] },
    };
    const none = grant("none", "2027-12-31T00:00:00Z");
    const monitored = monitoredGrants([jane, old, none], 90, now);
    expect(grantLocations([jane, old, none], monitored)).toEqual([
      { grant: "jane", countries: ["NL"], ipRanges: [] },
    ]);
  });
});
