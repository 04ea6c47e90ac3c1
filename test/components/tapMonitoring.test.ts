// The pure helpers TapMonitoring builds its rules with: a detection's settings under config overrides, Sentinel's
// severity names, and stable GUIDs for resources whose names must not change.
import { type Detection, detections } from "../../components/detections";
import {
  type DetectionOverride,
  detectionSettings,
  sentinelSeverity,
  stableGuid,
} from "../../components/tapMonitoring";

describe("detectionSettings", () => {
  const detection: Detection = {
    key: "tapIssued",
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
