// The whole config against hostile and odd input: every refusal is one clear message naming an entra-tap: key
// path; nothing is silently misread; nothing that looks like a secret is echoed. Includes a fast-check property.
import fc from "fast-check";
import { ValidationError } from "../../components/validation";
import { parseStackConfig } from "../../config";
import {
  breakGlassGroupId as breakGlass,
  contractorsGroupId as group,
  validGrant as grant,
  validHandover,
} from "../support/fixtures";

const now = Date.parse("2026-11-27T10:00:00Z");

const policy = {
  state: "enabled",
  defaultLength: 14,
  isUsableOnce: true,
  includeTargets: [],
  excludeTargets: [],
};
const audience = {
  targets: { contractors: { objectId: group } },
  exclusions: { breakGlass: { objectId: breakGlass } },
};
const monitoring = {
  resourceGroupName: "rg-entra-tap",
  location: "westeurope",
  workspace: { name: "law-entra-tap" },
  actionGroup: { shortName: "EntraTAP", emails: [{ name: "soc", address: "soc@contoso.com" }] },
  deploymentIdentities: ["5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"],
};
const valid: Record<string, unknown> = {
  cloud: "global",
  policy,
  audience,
  grants: [grant],
  monitoring,
  handover: validHandover,
};

const forbiddenKeyAllowed =
  "a key other than __proto__, constructor or prototype (names reserved by JavaScript objects)";
/** Characters a terminal acts on or that reorder text: never printed raw. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const rawControl = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

function rawOf(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      `entra-tap:${key}`,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

function problems(raw: Record<string, string>): string[] {
  try {
    parseStackConfig(raw, now);
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
}

describe("config that cannot be tricked", () => {
  it("accepts the valid config these tests start from", () => {
    expect(problems(rawOf(valid))).toEqual([]);
  });

  it("never lets a __proto__ key switch the cloud", () => {
    const raw = { ...rawOf(valid), "entra-tap:__proto__": JSON.stringify({ cloud: "usgovernmentl5" }) };
    expect(problems(raw)).toEqual([
      `entra-tap:__proto__: the key "__proto__" is not allowed; expected ${forbiddenKeyAllowed}`,
    ]);
  });

  it("refuses a break-glass exclusion keyed __proto__ instead of dropping it silently", () => {
    const text = `{"targets":{"contractors":{"objectId":"${group}"}},"exclusions":{"__proto__":{"objectId":"${breakGlass}"}}}`;
    expect(problems({ ...rawOf(valid), "entra-tap:audience": text })).toEqual([
      `entra-tap:audience.exclusions.__proto__: the key "__proto__" is not allowed; expected ${forbiddenKeyAllowed}`,
    ]);
  });

  it("refuses entra-tap:grants:extra instead of letting it replace entra-tap:grants", () => {
    expect(problems({ ...rawOf(valid), "entra-tap:grants:extra": "[]" })).toEqual([
      'entra-tap:["grants:extra"]: not allowed; expected a key of the form entra-tap:<name> (Pulumi refuses "entra-tap:grants:extra": configuration keys have one ":")',
    ]);
  });

  it("reads the legacy entra-tap:config:<key> form as Pulumi does", () => {
    const { "entra-tap:cloud": _cloud, ...rest } = rawOf(valid);
    expect(parseStackConfig({ ...rest, "entra-tap:config:cloud": "usgovernmentl4" }, now).cloud).toBe(
      "usgovernmentl4",
    );
  });

  it("answers a value nested thousands of levels deep with one message, without overflowing the stack", () => {
    const deep = `{"includeTargets":${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
    expect(problems({ ...rawOf(valid), "entra-tap:policy": deep })).toEqual([
      "entra-tap:policy: an object nested 50001 levels deep is not allowed; expected a value nested at most 16 levels deep",
    ]);
  });

  it("refuses an 80,000-character user name in one message, showing its start, with no pattern run over it", () => {
    const user = `a@${"a.".repeat(40_000)}@`;
    expect(problems(rawOf({ ...valid, grants: [{ ...grant, user }] }))).toEqual([
      'entra-tap:grants[0].user: "a@a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."… (80003 characters) is not allowed; expected text of at most 4096 characters',
    ]);
  });

  it("never shows a huge webhook URL, a secret, even by its start", () => {
    const url = `https://contoso.webhook.office.com/webhookb2/${"a".repeat(40_000)}`;
    const actionGroup = { ...monitoring.actionGroup, webhooks: [{ name: "teams", url }] };
    expect(problems(rawOf({ ...valid, monitoring: { ...monitoring, actionGroup } }))).toEqual([
      "entra-tap:monitoring.actionGroup.webhooks[0].url: [secret] is not allowed; expected text of at most 4096 characters",
    ]);
  });

  it("escapes control characters in a value it shows, so none reaches the terminal", () => {
    const cloud = "\u001b[2J\u007f\u009b31m\u202eglobal\u2028";
    const reason = `\u001b]0;owned\u0007${"x".repeat(5_000)}`;
    const messages = problems(rawOf({ ...valid, cloud, grants: [{ ...grant, reason }] }));
    expect(messages).toEqual([
      String.raw`entra-tap:grants[0].reason: "\u001b]0;owned\u0007xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… (5010 characters) is not allowed; expected text of at most 4096 characters`,
      String.raw`entra-tap:cloud: "\u001b[2J\u007f\u009b31m\u202eglobal\u2028" is not allowed; expected one of "global", "usgovernmentl4", "usgovernmentl5"`,
    ]);
    for (const message of messages) expect(message).not.toMatch(rawControl);
  });

  it("quotes a key holding a newline, so it cannot forge a line of output", () => {
    const messages = problems(
      rawOf({ ...valid, policy: { ...policy, "x\nentra-tap:policy.state: fine": 1 } }),
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).not.toContain("\n");
    expect(messages[0]).toMatch(/^entra-tap:policy\["x\\nentra-tap:policy\.state: fine"\]: not a known key/);
  });

  it("reports a policy minimum of 50,000 once, not once per grant that mentions it", () => {
    const grants = [grant, { ...grant, name: "second", user: "second@contoso.com" }];
    const raw = rawOf({ ...valid, grants, policy: { ...policy, minimumLifetimeInMinutes: 50_000 } });
    expect(problems(raw)).toEqual([
      "entra-tap:policy.minimumLifetimeInMinutes: 50000 is not allowed; expected an integer from 10 to 43200",
    ]);
  });

  it("reports an impossible date once, with no misleading comparison after it", () => {
    for (const expiry of ["2027-02-29T08:00:00Z", "2026-11-31T08:00:00Z"]) {
      expect(problems(rawOf({ ...valid, grants: [{ ...grant, expiry }] }))).toEqual([
        `entra-tap:grants[0].expiry: "${expiry}" is not allowed; expected an ISO 8601 date and time, e.g. 2026-12-01T08:00:00Z`,
      ]);
    }
  });

  it.each([
    ["an https URL with a query", "https://contoso.webhook.office.com/webhookb2/abc?sig=Zm9vYmFy"],
    ["a bearer token", "Bearer abcdefghijklmnopqrstuvwxyz0123456789"],
    ["a JSON Web Token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl"],
  ])("masks %s pasted into any field", (_what, secret) => {
    const fields = [
      { ...valid, grants: [{ ...grant, user: secret }] },
      { ...valid, grants: [{ ...grant, ticket: { text: secret } }] },
      { ...valid, policy: { ...policy, state: secret } },
      { ...valid, cloud: secret },
      { ...valid, audience: { ...audience, targets: { [secret]: { objectId: group } } } },
    ];
    for (const config of fields) {
      const messages = problems(rawOf(config));
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.join("\n")).not.toContain(secret.slice(-12));
    }
  });
});

// Values that break a config in every way a hostile or careless hand would.
const secretShaped = fc.constantFrom(
  "https://hooks.contoso.example/services/T00/B00?token=XXXXSECRETXXXX",
  "Bearer XXXXSECRETXXXXabcdefghijklmnop",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJYWFhYU0VDUkVUWFhYWCJ9.XXXXSECRETXXXX",
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    9,
    10,
    43200,
    43201,
    7,
    8,
    48,
    49,
    0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    true,
    false,
    null,
    "",
    " ",
  ),
  fc.string({ maxLength: 20 }),
  fc.constantFrom("\u001b[2J\u0007", "\u009b31m\u202e", `\u001b]0;x\u0007${"y".repeat(5_000)}`),
  fc.constant("x".repeat(90_000)),
  secretShaped,
  fc.constantFrom("2027-02-29T08:00:00Z", "2026-13-01T08:00:00Z", "not a date", "2026-11-30T08:00:00Z"),
  fc.constant(JSON.parse(`{"__proto__": {"polluted": true}}`)),
  fc.constant({ constructor: { prototype: { cloud: "usgovernmentl5" } } }),
  fc.array(fc.constantFrom(1, "a", null), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("a", "__proto__", "x\ny", "prototype"), fc.constantFrom(1, "v"), {
    maxKeys: 2,
  }),
);

/** Puts `value` at a random place of `base` (a path of known keys, or a new key). */
function mutate(base: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = (base !== null && typeof base === "object" ? base : {}) as Record<string, unknown>;
  const copy: Record<string, unknown> = Array.isArray(container)
    ? ([...container] as unknown as Record<string, unknown>)
    : { ...container };
  copy[head] = mutate(container[head], rest, value);
  return copy;
}

const knownPaths = [
  ["cloud"],
  ["policy"],
  ["policy", "minimumLifetimeInMinutes"],
  ["policy", "defaultLifetimeInMinutes"],
  ["policy", "maximumLifetimeInMinutes"],
  ["policy", "defaultLength"],
  ["policy", "isUsableOnce"],
  ["policy", "includeTargets"],
  ["policy", "excludeTargets"],
  ["policy", "state"],
  ["audience"],
  ["audience", "targets"],
  ["audience", "exclusions", "breakGlass"],
  ["audience", "targets", "contractors", "objectId"],
  ["grants"],
  ["grants", "0"],
  ["grants", "0", "user"],
  ["grants", "0", "start"],
  ["grants", "0", "expiry"],
  ["grants", "0", "lifetimeInMinutes"],
  ["grants", "0", "group"],
  ["grants", "0", "approvedBy"],
  ["grants", "0", "azureRoles"],
  ["monitoring"],
  ["monitoring", "actionGroup", "webhooks"],
  ["monitoring", "deploymentIdentities"],
  ["monitoring", "workspace", "resourceId"],
  ["policy", "extra"],
  ["grants", "0", "extra"],
  ["__proto__"],
  ["unknownKey"],
];

/** A deeply nested value, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = "x";
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const mutation = fc.record({
  path: fc.constantFrom(...knownPaths),
  value: fc.oneof(
    { weight: 8, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.constant(nested(3000)) },
  ),
});

describe("a property over generated configs, well-formed and hostile", () => {
  it("is accepted, or refused with messages that each name an entra-tap: key path, never echoing a secret", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 0, maxLength: 4 }), (mutations) => {
        let config: unknown = valid;
        for (const { path, value } of mutations) config = mutate(config, path, value);
        const raw = Object.fromEntries(
          Object.entries(config as Record<string, unknown>).map(([key, value]) => {
            // Deep values are written as JSON text by hand: JSON.stringify itself recurses.
            const text = typeof value === "string" ? value : safeStringify(value);
            return [`entra-tap:${key}`, text];
          }),
        );
        let messages: string[] = [];
        try {
          parseStackConfig(raw, now);
        } catch (error) {
          // Never an exception of another kind.
          expect(error).toBeInstanceOf(ValidationError);
          messages = (error as ValidationError).problems;
          expect(messages.length).toBeGreaterThan(0);
        }
        for (const message of messages) {
          expect(message).toMatch(/^entra-tap:\S/);
          expect(message).not.toContain("\n");
          expect(message).not.toMatch(rawControl);
          expect(message).not.toContain("XXXXSECRETXXXX");
          expect(message.length).toBeLessThan(1_500);
        }
        expect(new Set(messages).size).toBe(messages.length);
      }),
      { seed: 20261127, numRuns: 3000 },
    );
  });
});

function safeStringify(value: unknown): string {
  let depth = 0;
  let inner: unknown = value;
  while (Array.isArray(inner) && inner.length === 1 && Array.isArray(inner[0])) {
    depth++;
    inner = inner[0];
  }
  return depth > 100
    ? `${"[".repeat(depth)}${JSON.stringify(inner)}${"]".repeat(depth)}`
    : JSON.stringify(value);
}
