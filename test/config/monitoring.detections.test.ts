// entra-tap:monitoring's detection overrides, Sentinel and the activity log's subscriptions: each rule's message.
import { detections } from "../../components/detections";
import { billingSubscriptionId as subscription } from "../support/fixtures";
import { type Json, monitoringProblems, parsedMonitoring } from "./monitoring.support";

const knownDetections =
  "tapIssued, tapDeleted, tapPolicyChanged, tapIssuedOutOfProcess, tapIssuedToPrivilegedAccount, multiUseTapIssued, tapSignIn, repeatedFailedTapSignIns, accessAfterGrantWindow, privilegedOperationByTemporaryUser, unexpectedGrantLocation, tapBootstrapFailed";
const durationAllowed = "an ISO 8601 duration in minutes, hours or days (PT5M, PT1H, P1D)";

describe("entra-tap:monitoring.detections", () => {
  const withOverride = (override: Json) => monitoringProblems({ detections: { tapSignIn: override } });
  const at = "entra-tap:monitoring.detections.tapSignIn";

  it("refuses an unknown detection key, listing the known keys", () => {
    expect(monitoringProblems({ detections: { tapSignln: { enabled: false } } })).toEqual([
      `entra-tap:monitoring.detections.tapSignln: not a known key; known keys: ${knownDetections}`,
    ]);
  });

  it("accepts an override of every detection", () => {
    expect(
      monitoringProblems({
        detections: Object.fromEntries(detections.map((d) => [d.key, { notify: false }])),
      }),
    ).toEqual([]);
  });

  it("accepts every override field", () => {
    const override = {
      enabled: true,
      severity: 1,
      evaluationFrequency: "PT5M",
      windowSize: "PT1H",
      threshold: 2,
      notify: false,
    };
    expect(parsedMonitoring({ detections: { tapSignIn: override } })?.detections).toEqual({
      tapSignIn: override,
    });
  });

  it.each(["enabled", "notify"])("refuses a non-boolean %s", (key) => {
    expect(withOverride({ [key]: "no" })).toEqual([
      `${at}.${key}: "no" is not allowed; expected true or false`,
    ]);
  });

  it.each([0, 4])("accepts severity %p", (severity) => {
    expect(withOverride({ severity })).toEqual([]);
  });

  it.each([5, 1.5, -1, "2"])("refuses severity %p", (severity) => {
    expect(withOverride({ severity })).toEqual([
      `${at}.severity: ${JSON.stringify(severity)} is not allowed; expected an integer from 0 to 4`,
    ]);
  });

  describe.each(["evaluationFrequency", "windowSize"])("%s", (key) => {
    it.each(["PT5M", "PT1H", "P1D"])("accepts %p", (duration) => {
      expect(withOverride({ [key]: duration })).toEqual([]);
    });

    it.each(["5m", "PT", "P1W", "pt5m", 300])("refuses %p", (duration) => {
      expect(withOverride({ [key]: duration })).toEqual([
        `${at}.${key}: ${JSON.stringify(duration)} is not allowed; expected ${durationAllowed}`,
      ]);
    });
  });

  it.each([0, 10000])("accepts threshold %p", (threshold) => {
    expect(withOverride({ threshold })).toEqual([]);
  });

  it.each([-1, 10001, 2.5])("refuses threshold %p", (threshold) => {
    expect(withOverride({ threshold })).toEqual([
      `${at}.threshold: ${JSON.stringify(threshold)} is not allowed; expected an integer from 0 to 10000`,
    ]);
  });

  it("refuses an unknown override key, listing the known keys", () => {
    expect(withOverride({ muted: true })).toEqual([
      `${at}.muted: not a known key; known keys: enabled, severity, evaluationFrequency, windowSize, threshold, notify`,
    ]);
  });

  it("reports every problem of one override, one message each", () => {
    expect(withOverride({ enabled: "no", severity: 5, windowSize: "P1W", threshold: 10001 })).toEqual([
      `${at}.enabled: "no" is not allowed; expected true or false`,
      `${at}.severity: 5 is not allowed; expected an integer from 0 to 4`,
      `${at}.windowSize: "P1W" is not allowed; expected ${durationAllowed}`,
      `${at}.threshold: 10001 is not allowed; expected an integer from 0 to 10000`,
    ]);
  });
});

describe("entra-tap:monitoring.sentinel", () => {
  it.each([true, false])("accepts %p", (sentinel) => {
    expect(parsedMonitoring({ sentinel })?.sentinel).toBe(sentinel);
  });

  it.each(["true", 1])("refuses %p", (sentinel) => {
    expect(monitoringProblems({ sentinel })).toEqual([
      `entra-tap:monitoring.sentinel: ${JSON.stringify(sentinel)} is not allowed; expected true or false`,
    ]);
  });
});

describe("entra-tap:monitoring.activityLog", () => {
  const at = "entra-tap:monitoring.activityLog";

  it("accepts subscription ids", () => {
    const other = "6a4d3b2c-9f8e-4d7c-8b6a-1f2e3d4c5b6a";
    expect(
      parsedMonitoring({ activityLog: { subscriptionIds: [subscription, other] } })?.activityLog,
    ).toEqual({
      subscriptionIds: [subscription, other],
    });
  });

  it("has no subscriptions when given empty", () => {
    expect(parsedMonitoring({ activityLog: {} })?.activityLog).toEqual({ subscriptionIds: [] });
  });

  it.each(["billing", "/subscriptions/5f3c2a1b-8e7d-4c6b-9a5f-0e1d2c3b4a59", 42])(
    "refuses subscription %p",
    (id) => {
      expect(monitoringProblems({ activityLog: { subscriptionIds: [subscription, id] } })).toEqual([
        `${at}.subscriptionIds[1]: ${JSON.stringify(id)} is not allowed; expected a subscription id (GUID)`,
      ]);
    },
  );

  it("refuses a subscription listed twice, in any case, once", () => {
    expect(
      monitoringProblems({ activityLog: { subscriptionIds: [subscription, subscription.toUpperCase()] } }),
    ).toEqual([
      `${at}.subscriptionIds[1]: ${JSON.stringify(subscription.toUpperCase())} is not allowed; expected each subscription once (it has one diagnostic setting)`,
    ]);
  });

  it("refuses a list written as one id, and an unknown key", () => {
    expect(monitoringProblems({ activityLog: { subscriptionIds: subscription } })).toEqual([
      `${at}.subscriptionIds: ${JSON.stringify(subscription)} is not allowed; expected a list of subscription ids`,
    ]);
    expect(monitoringProblems({ activityLog: { subscriptions: [subscription] } })).toEqual([
      `${at}.subscriptions: not a known key; known keys: subscriptionIds`,
    ]);
  });
});
