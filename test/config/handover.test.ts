// `entra-tap:handover` and each grant's recipients: who can open a pass's passcode, checked before anything is issued.
import { parseStackConfig } from "../../config";
import { type GrantContext, recipientsHaveKeys, type ResolvedGrant } from "../../config/grantRules";
import { grantRecipients } from "../../config/handover";
import { approverRecipientKeys, validGrant, validTapPolicy } from "../support/fixtures";
import { audience, grant, now, policy, problems, raw, resolvedGrant } from "./grants.support";

const tom = "tom.becker@contoso.com";
const lisa = "lisa.wong@contoso.com";
const keyAllowed = "an age public key (age1...), as age-keygen prints it";
const declaredList = `("${tom}", "${lisa}")`;

function handoverProblems(handover: unknown, grants: unknown[] = [grant], at = now): string[] {
  return problems(raw({ policy, audience, grants, handover }), at);
}

describe("entra-tap:handover", () => {
  it("seals each grant's pass to its approver by default, and to the people handoverTo names instead", () => {
    const config = parseStackConfig(
      raw({
        policy,
        audience,
        grants: [grant, { ...grant, name: "second", user: "x@contoso.com", handoverTo: [lisa, tom] }],
      }),
      now,
    );
    expect(config.grants.map((g) => grantRecipients(g, config.handover))).toEqual([
      [{ name: tom, key: approverRecipientKeys[tom] }],
      [
        { name: lisa, key: approverRecipientKeys[lisa] },
        { name: tom, key: approverRecipientKeys[tom] },
      ],
    ]);
    expect(config.handover.passcodeInState).toBe(false);
  });

  it("refuses a grant whose approver has no key, naming the approver, the grant and the people declared", () => {
    expect(handoverProblems({ recipients: { [lisa]: approverRecipientKeys[lisa] } })).toEqual([
      `entra-tap:grants[0].approvedBy: "${tom}" is not allowed; expected a person with an age public key in entra-tap:handover.recipients ("${lisa}"), to receive grant "${validGrant.name}"'s pass (or handoverTo: the people who receive it)`,
    ]);
  });

  it("refuses every grant of a stack that declares no recipient at all", () => {
    expect(handoverProblems(undefined)).toEqual([
      `entra-tap:grants[0].approvedBy: "${tom}" is not allowed; expected a person with an age public key in entra-tap:handover.recipients (none is declared), to receive grant "${validGrant.name}"'s pass (or handoverTo: the people who receive it)`,
    ]);
  });

  it("refuses a handoverTo person without a key, by their place in the list", () => {
    expect(
      handoverProblems({ recipients: approverRecipientKeys }, [
        { ...grant, handoverTo: [lisa, "carol@contoso.com"] },
      ]),
    ).toEqual([
      `entra-tap:grants[0].handoverTo[1]: "carol@contoso.com" is not allowed; expected a person with an age public key in entra-tap:handover.recipients ${declaredList}, to receive grant "${validGrant.name}"'s pass`,
    ]);
  });

  it("refuses an empty handoverTo and a blank name, once each", () => {
    expect(handoverProblems({ recipients: approverRecipientKeys }, [{ ...grant, handoverTo: [] }])).toEqual([
      "entra-tap:grants[0].handoverTo: [] is not allowed; expected at least one person (leave handoverTo out for the approver)",
    ]);
    expect(
      handoverProblems({ recipients: approverRecipientKeys }, [{ ...grant, handoverTo: [" "] }]),
    ).toEqual([
      'entra-tap:grants[0].handoverTo[0]: " " is not allowed; expected a person in entra-tap:handover.recipients',
    ]);
  });

  it.each([
    ["an SSH key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"],
    ["a key with a wrong checksum", `${approverRecipientKeys[tom].slice(0, -1)}x`],
    ["a number", 42],
    [
      "an identity (the secret half)",
      "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
    ],
  ])("refuses %s as a recipient's key, naming the person", (_what, key) => {
    const found = handoverProblems({ recipients: { ...approverRecipientKeys, [lisa]: key } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      new RegExp(
        `^entra-tap:handover\\.recipients\\["lisa\\.wong@contoso\\.com"\\]: .* is not allowed; expected ${keyAllowed.replace(/[().]/g, "\\$&")}$`,
      ),
    );
  });

  it("never shows an identity pasted where a public key belongs", () => {
    const identity = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
    const [found] = handoverProblems({ recipients: { ...approverRecipientKeys, [lisa]: identity } });
    expect(found).not.toContain(identity);
    expect(found).toContain("[secret]");
  });

  it("refuses a recipient named __proto__ instead of dropping it", () => {
    const found = handoverProblems(
      JSON.parse(`{"recipients": {"__proto__": "${approverRecipientKeys[tom]}"}}`),
    );
    expect(found.some((p) => p.includes("__proto__"))).toBe(true);
  });

  it("needs no key for a grant that has ended: its pass is only deleted", () => {
    const later = Date.parse(validGrant.expiry) + 60_000;
    expect(handoverProblems({ recipients: {} }, [grant], later)).toEqual([]);
  });

  it("lets a stack that keeps passcodes in the state (opt-in) declare grants without recipients", () => {
    expect(handoverProblems({ passcodeInState: true })).toEqual([]);
    expect(handoverProblems({ passcodeInState: "yes" })).toEqual([
      'entra-tap:handover.passcodeInState: "yes" is not allowed; expected true or false',
    ]);
  });
});

/** The rules' context around the sample grant. */
const resolved = resolvedGrant;
const withChanges = (changes: Partial<ResolvedGrant>): ResolvedGrant => ({ ...resolved, ...changes });
function rulesContext(grants: ResolvedGrant[], changes: Partial<GrantContext>): GrantContext {
  return {
    policy: validTapPolicy,
    targetGroups: ["contractors"],
    handover: undefined,
    grants,
    now,
    ...changes,
  };
}

describe("recipientsHaveKeys", () => {
  const onlyLisa = { recipients: { "lisa.wong@contoso.com": "age1..." }, passcodeInState: false };

  it("refuses an approver (the default recipient) without a key, and each handoverTo person without one", () => {
    expect(recipientsHaveKeys(resolved, 0, rulesContext([resolved], { handover: onlyLisa }))).toEqual([
      {
        path: ["approvedBy"],
        value: "tom.becker@contoso.com",
        allowed: `a person with an age public key in entra-tap:handover.recipients ("lisa.wong@contoso.com"), to receive grant "contractor-jane-doe"'s pass (or handoverTo: the people who receive it)`,
      },
    ]);
    const handedOver = withChanges({ handoverTo: ["lisa.wong@contoso.com", "carol@contoso.com"] });
    expect(recipientsHaveKeys(handedOver, 0, rulesContext([handedOver], { handover: onlyLisa }))).toEqual([
      {
        path: ["handoverTo", 1],
        value: "carol@contoso.com",
        allowed: `a person with an age public key in entra-tap:handover.recipients ("lisa.wong@contoso.com"), to receive grant "contractor-jane-doe"'s pass`,
      },
    ]);
  });

  it("asks nothing of an ended grant, of a stack that keeps passcodes in the state, or when the handover is refused", () => {
    const ended = rulesContext([resolved], { handover: onlyLisa, now: Date.parse(resolved.expiry) + 1 });
    expect(recipientsHaveKeys(resolved, 0, ended)).toEqual([]);
    const optIn = rulesContext([resolved], { handover: { recipients: {}, passcodeInState: true } });
    expect(recipientsHaveKeys(resolved, 0, optIn)).toEqual([]);
    expect(recipientsHaveKeys(resolved, 0, rulesContext([resolved], { handover: undefined }))).toEqual([]);
  });

  it("finds a recipient named like an Object.prototype key only if it is declared", () => {
    const odd = withChanges({ handoverTo: ["constructor", "toString"] });
    expect(
      recipientsHaveKeys(odd, 0, rulesContext([odd], { handover: onlyLisa })).map((p) => p.value),
    ).toEqual(["constructor", "toString"]);
  });
});
