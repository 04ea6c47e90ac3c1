// entra-tap:monitoring.actionGroup: its receivers' rules, and a webhook's URL never shown in a message.
import { isSecretMonitoringPath } from "../../config/monitoring";
import { undecryptedSecret } from "../../components/validation";
import {
  actionGroup,
  type Json,
  monitoringProblems,
  parsedMonitoring,
  soarWebhook,
  withChanges,
} from "./monitoring.support";

const webhookUrlAllowed = "an https URL (set it with pulumi config set --secret)";

describe("entra-tap:monitoring.actionGroup", () => {
  const withGroup = (changes: Json) => monitoringProblems({ actionGroup: withChanges(actionGroup, changes) });

  it.each(["E", "EntraTAPprod"])("accepts shortName %p (1..12 characters)", (shortName) => {
    expect(withGroup({ shortName })).toEqual([]);
  });

  it.each(["EntraTAPprod1", ""])("refuses shortName %p", (shortName) => {
    expect(withGroup({ shortName })).toEqual([
      `entra-tap:monitoring.actionGroup.shortName: ${JSON.stringify(shortName)} is not allowed; expected 1..12 characters`,
    ]);
  });

  it("requires shortName", () => {
    expect(withGroup({ shortName: undefined })).toEqual([
      "entra-tap:monitoring.actionGroup.shortName: missing is not allowed; expected 1..12 characters",
    ]);
  });

  it.each([
    ["left out", { emails: undefined }],
    ["empty", { emails: [], webhooks: [] }],
  ])("refuses receivers %s", (_, changes) => {
    expect(withGroup(changes)).toEqual([
      "entra-tap:monitoring.actionGroup.emails: [] is not allowed; expected at least one e-mail or webhook receiver, so alerts reach someone",
    ]);
  });

  it.each(["soc.contoso.com", "soc@", "soc @contoso.com"])("refuses e-mail address %p", (address) => {
    expect(withGroup({ emails: [{ name: "security-operations", address }] })).toEqual([
      `entra-tap:monitoring.actionGroup.emails[0].address: ${JSON.stringify(address)} is not allowed; expected an e-mail address`,
    ]);
  });

  it("refuses a blank receiver name", () => {
    expect(withGroup({ emails: [{ name: "  ", address: "soc@contoso.com" }] })).toEqual([
      'entra-tap:monitoring.actionGroup.emails[0].name: "  " is not allowed; expected a receiver name',
    ]);
  });

  it("accepts an https webhook URL", () => {
    expect(withGroup({ webhooks: [{ name: "soar", url: soarWebhook }] })).toEqual([]);
  });

  describe("a webhook URL that is not https", () => {
    const url = "http://hooks.example.com/x";
    const found = () => withGroup({ webhooks: [{ name: "soar", url }] });

    it("is refused, with [secret] in place of the URL", () => {
      expect(found()).toEqual([
        expect.stringMatching(
          /^entra-tap:monitoring\.actionGroup\.webhooks\[0\]\.url: \[secret\] is not allowed; expected /,
        ),
      ]);
    });

    it("never shows the URL, also next to other problems", () => {
      const all = [
        ...found(),
        ...withGroup({
          shortName: "EntraTAPprod1",
          webhooks: [
            { name: "soar", url },
            { name: "chat", url },
          ],
        }),
      ];
      expect(all).toHaveLength(4);
      for (const problem of all) {
        expect(problem).not.toContain("hooks.example.com");
        expect(problem).not.toContain(url);
      }
    });

    it("states that an https URL is expected", () => {
      expect(found()).toEqual([
        `entra-tap:monitoring.actionGroup.webhooks[0].url: [secret] is not allowed; expected ${webhookUrlAllowed}`,
      ]);
    });
  });

  it("refuses a webhook URL that is not a string, with [secret] in place of the value", () => {
    expect(withGroup({ webhooks: [{ name: "soar", url: 8443 }] })).toEqual([
      `entra-tap:monitoring.actionGroup.webhooks[0].url: [secret] is not allowed; expected ${webhookUrlAllowed}`,
    ]);
  });

  it("requires a webhook URL", () => {
    expect(withGroup({ webhooks: [{ name: "soar" }] })).toEqual([
      `entra-tap:monitoring.actionGroup.webhooks[0].url: missing is not allowed; expected ${webhookUrlAllowed}`,
    ]);
  });

  it("accepts the placeholder of a secret the offline plan cannot decrypt", () => {
    expect(undecryptedSecret).toBe("[secret]");
    expect(
      parsedMonitoring({
        actionGroup: { shortName: "EntraTAPprod", webhooks: [{ name: "soar", url: undecryptedSecret }] },
      })?.actionGroup.webhooks,
    ).toEqual([{ name: "soar", url: undecryptedSecret }]);
  });

  it("refuses an unknown key in a webhook, without its value", () => {
    expect(withGroup({ webhooks: [{ name: "soar", uri: soarWebhook }] })).toEqual([
      `entra-tap:monitoring.actionGroup.webhooks[0].url: missing is not allowed; expected ${webhookUrlAllowed}`,
      "entra-tap:monitoring.actionGroup.webhooks[0].uri: not a known key; known keys: name, url",
    ]);
  });

  it("refuses an unknown key", () => {
    expect(withGroup({ sms: [] })).toEqual([
      "entra-tap:monitoring.actionGroup.sms: not a known key; known keys: shortName, emails, webhooks",
    ]);
  });
});

describe("isSecretMonitoringPath", () => {
  // Anything that may hold a webhook URL, including a mis-shaped entry, is never echoed.
  it.each([
    [["monitoring", "actionGroup", "webhooks", 0, "url"]],
    [["monitoring", "actionGroup", "webhooks", 0]],
    [["monitoring", "actionGroup", "webhooks"]],
    [["monitoring", "actionGroup"]],
    [["monitoring"]],
  ])("is true for %p", (path) => {
    expect(isSecretMonitoringPath(path)).toBe(true);
  });

  it.each([
    [["monitoring", "actionGroup", "emails", 0, "address"]],
    [["monitoring", "workspace", "name"]],
    [["grants", 0, "url"]],
  ])("is false for %p", (path) => {
    expect(isSecretMonitoringPath(path)).toBe(false);
  });
});

describe("a mis-shaped webhook never leaks its URL", () => {
  const token = "https://hooks.example.com/services/T000/B000/leak-me-not";
  it.each([
    ["a bare string in the list", { webhooks: [token] }],
    ["an object instead of a list", { webhooks: { name: "soar", url: token } }],
  ])("%s", (_what, group) => {
    const found = monitoringProblems({ actionGroup: { shortName: "EntraTAP", ...(group as object) } });
    expect(found.length).toBeGreaterThan(0);
    for (const problem of found) expect(problem).not.toContain("leak-me-not");
  });

  it("an action group written as a list", () => {
    const found = monitoringProblems({
      actionGroup: [{ shortName: "EntraTAP", webhooks: [{ name: "soar", url: token }] }],
    });
    expect(found.length).toBeGreaterThan(0);
    for (const problem of found) expect(problem).not.toContain("leak-me-not");
  });
});
