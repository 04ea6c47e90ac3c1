// Reading the raw config the way Pulumi does, and refusing hostile shapes before any schema sees them.
import { formatProblem } from "../../components/validation";
import { isSecretMonitoringPath } from "../../config/monitoring";
import {
  forbiddenKeys,
  maxDepth,
  maxStringLength,
  parseConfigKey,
  readRawConfig,
} from "../../config/rawConfig";

describe("parseConfigKey", () => {
  it("reads <namespace>:<name>, and the legacy <namespace>:config:<name> as Pulumi does", () => {
    expect(parseConfigKey("entra-tap:policy")).toEqual({ namespace: "entra-tap", name: "policy" });
    expect(parseConfigKey("entra-tap:config:policy")).toEqual({ namespace: "entra-tap", name: "policy" });
  });

  it.each(["entra-tap:grants:extra", "entra-tap:a:b:c", "entra-tap:", ":policy", "policy"])(
    "refuses %p, as Pulumi refuses it",
    (key) => {
      expect(parseConfigKey(key)).toBeUndefined();
    },
  );
});

describe("readRawConfig", () => {
  const read = (raw: Record<string, string>) => readRawConfig(raw, "entra-tap");
  /** The problems as the stack's messages print them. */
  const messages = (raw: Record<string, string>) =>
    read(raw).problems.map((p) => formatProblem("entra-tap:", p, isSecretMonitoringPath));
  /** Characters a terminal acts on or that reorder text: never printed raw. */
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const rawControl = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

  it("parses JSON values into objects without prototypes, and keeps text that is not JSON", () => {
    const { values, problems } = read({
      "entra-tap:policy": '{"state":"enabled"}',
      "entra-tap:cloud": "global",
    });
    expect(problems).toEqual([]);
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(Object.getPrototypeOf(values.policy)).toBeNull();
    expect(values.cloud).toBe("global");
  });

  it("refuses a key with more than one colon instead of reading it as another key", () => {
    const { values, problems } = read({ "entra-tap:grants:extra": "[]" });
    expect(values.grants).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({ path: ["grants:extra"], allowed: expect.stringContaining("Pulumi refuses") }),
    ]);
  });

  it("refuses a key given both ways", () => {
    expect(
      read({ "entra-tap:cloud": "global", "entra-tap:config:cloud": "usgovernmentl5" }).problems,
    ).toEqual([
      expect.objectContaining({ path: ["cloud"], allowed: expect.stringContaining("given twice") }),
    ]);
  });

  it.each(forbiddenKeys)(
    "refuses the key %p at the top and at any depth, and never lets it reach an object",
    (key) => {
      const nested = `{"targets":{"a":{"b":{"${key}":{"cloud":"usgovernmentl5"}}}}}`;
      const top = read({ [`entra-tap:${key}`]: '{"cloud":"usgovernmentl5"}', "entra-tap:audience": nested });
      expect(top.problems.map((p) => p.path)).toEqual([[key], ["audience", "targets", "a", "b", key]]);
      expect(top.values.cloud).toBeUndefined();
      expect(Object.keys((top.values.audience as { targets: { a: { b: object } } }).targets.a.b)).toEqual([]);
    },
  );

  it("refuses absurd nesting without recursing into it", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const { problems, values } = read({ "entra-tap:policy": deep });
    expect(problems).toEqual([
      expect.objectContaining({ path: ["policy"], allowed: expect.stringContaining(`${maxDepth} levels`) }),
    ]);
    expect(values.policy).toBeUndefined();
  });

  it("refuses a huge string and hands the schema an empty one instead (no pattern runs over it)", () => {
    const { problems, values } = read({ "entra-tap:grants": JSON.stringify([{ user: "a".repeat(80_000) }]) });
    expect(problems).toEqual([
      expect.objectContaining({
        path: ["grants", 0, "user"],
        allowed: expect.stringContaining(`${maxStringLength} characters`),
      }),
    ]);
    expect((values.grants as { user: string }[])[0].user).toBe("");
  });

  it.each(forbiddenKeys)("says the forbidden key %p is the value refused, and what is allowed", (key) => {
    const nested = `{"exclusions":{"${key}":{"objectId":"x"}}}`;
    const allowed =
      "a key other than __proto__, constructor or prototype (names reserved by JavaScript objects)";
    expect(messages({ [`entra-tap:${key}`]: "{}", "entra-tap:audience": nested })).toEqual([
      `entra-tap:${key}: the key "${key}" is not allowed; expected ${allowed}`,
      `entra-tap:audience.exclusions.${key}: the key "${key}" is not allowed; expected ${allowed}`,
    ]);
  });

  it("describes a value nested too deep instead of showing it, and says how deep it may be", () => {
    expect(messages({ "entra-tap:policy": "[".repeat(100_000) + "]".repeat(100_000) })).toEqual([
      "entra-tap:policy: a list nested 100000 levels deep is not allowed; expected a value nested at most 16 levels deep",
    ]);
    const justTooDeep = `{"a":${"[".repeat(maxDepth)}1${"]".repeat(maxDepth)}}`;
    expect(messages({ "entra-tap:audience": justTooDeep })).toEqual([
      "entra-tap:audience: an object nested 17 levels deep is not allowed; expected a value nested at most 16 levels deep",
    ]);
  });

  it("accepts any value nested exactly as deep as the limit, a number as well as a text", () => {
    for (const inner of ["1", "true", "null", '"a"', "{}"]) {
      const depth = inner === "{}" ? maxDepth - 1 : maxDepth;
      const { problems, values } = read({
        "entra-tap:x": `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`,
      });
      expect(problems).toEqual([]);
      expect(values.x).toBeDefined();
    }
  });

  it("shows a huge text by its first 40 characters and its length", () => {
    const user = "jane.doe@contoso.com ".repeat(4_000);
    expect(messages({ "entra-tap:grants": JSON.stringify([{ user }]) })).toEqual([
      'entra-tap:grants[0].user: "jane.doe@contoso.com jane.doe@contoso.co"… (84000 characters) is not allowed; expected text of at most 4096 characters',
    ]);
  });

  it("never shows a huge text under a secret key, nor one that looks like a secret", () => {
    const url = `https://hooks.contoso.example/${"a".repeat(40_000)}`;
    const ticket = `Bearer ${"x".repeat(5_000)}`;
    expect(
      messages({
        "entra-tap:monitoring": JSON.stringify({ actionGroup: { webhooks: [{ name: "soc", url }] } }),
        "entra-tap:grants": JSON.stringify([{ ticket }]),
      }),
    ).toEqual([
      "entra-tap:monitoring.actionGroup.webhooks[0].url: [secret] is not allowed; expected text of at most 4096 characters",
      "entra-tap:grants[0].ticket: [secret] is not allowed; expected text of at most 4096 characters",
    ]);
  });

  it("escapes control characters in a huge text's excerpt, so none reaches the terminal", () => {
    const reason = `\u001b]0;owned\u0007\u009b2J\u202e\u2028${"x".repeat(5_000)}`;
    const [message] = messages({ "entra-tap:grants": JSON.stringify([{ reason }]) });
    expect(message).toBe(
      String.raw`entra-tap:grants[0].reason: "\u001b]0;owned\u0007\u009b2J\u202e\u2028xxxxxxxxxxxxxxxxxxxxxxxxx"… (5015 characters) is not allowed; expected text of at most 4096 characters`,
    );
    expect(message).not.toMatch(rawControl);
  });

  it("never cuts a character in two in an excerpt", () => {
    const [message] = messages({ "entra-tap:x": JSON.stringify(`a${"😀".repeat(3_000)}`) });
    expect(message).toBe(
      `entra-tap:x: "a${"😀".repeat(19)}"… (6001 characters) is not allowed; expected text of at most 4096 characters`,
    );
  });
});
