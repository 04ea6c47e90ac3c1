// Reading the raw config the way Pulumi does, and refusing hostile shapes before any schema sees them.
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
});
