// scripts/grantTargets.ts: the URN glob that splits `pulumi up` between entra-tap-policy (everything but the grants)
// and entra-tap-passes (the grants), checked against every resource index.ts declares for the dev stack. The
// engine suite (test/engine/targeting.engine.test.ts) checks the same glob with the real CLI.
import type { DeclaredResource } from "../../scripts/declaredResources";
import { temporaryAccessGrantType } from "../../components/providerInputs";
import { grantsUrnGlob, urnGlobMatches } from "../../scripts/grantTargets";
import { evaluateDevStack } from "../support/devStackProgram";

describe("urnGlobMatches, as the Pulumi CLI matches --target and --exclude", () => {
  it.each([
    ["urn:pulumi:dev::p::a:b:C::x", "urn:pulumi:dev::p::a:b:C::x", true],
    ["urn:pulumi:*::p::a:b:C::x", "urn:pulumi:dev::p::a:b:C::x", true],
    // `*` stops at a colon; `**` does not.
    ["urn:pulumi:*::a:b:C::x", "urn:pulumi:dev::p::a:b:C::x", false],
    ["urn:pulumi:**::a:b:C::x", "urn:pulumi:dev::p::a:b:C::x", true],
    // The whole URN, not a part of it; the rest is literal (`.` and `$` included).
    ["a:b:C", "urn:pulumi:dev::p::a:b:C::x", false],
    ["urn:pulumi:dev::p::a.b:C::x", "urn:pulumi:dev::p::aXb:C::x", false],
    ["urn:pulumi:dev::p::a:b:C$d:e:F::*", "urn:pulumi:dev::p::a:b:C$d:e:F::y", true],
  ])("%s against %s: %s", (glob, urn, matches) => {
    expect(urnGlobMatches(glob, urn)).toBe(matches);
  });
});

describe("grantsUrnGlob over the program with the dev stack", () => {
  let declared: DeclaredResource[];

  beforeAll(async () => {
    ({ declared } = await evaluateDevStack());
  });

  /** A resource's ancestors, nearest first (the mock runtime gives parents by name). */
  function ancestors(resource: DeclaredResource): DeclaredResource[] {
    const chain: DeclaredResource[] = [];
    for (let parent = resource.parent; parent !== null;) {
      // Names are unique in this program but for a component's child named like it; the component is the parent.
      const found = declared.filter((r) => r.name === parent);
      const next = found.length === 1 ? found[0] : found.find((r) => r.type.startsWith("entra-tap:index:"));
      if (!next) break; // the stack itself, which the mock runtime does not declare
      chain.push(next);
      parent = next.parent;
    }
    return chain;
  }

  /**
   * The URN the real engine gives a resource: the types of its ancestors and its own, joined by `$`, under the stack
   * (the mock runtime keeps only the parent's last type, which is not what `--target` sees).
   */
  const urnOf = (resource: DeclaredResource) =>
    `urn:pulumi:dev::entra-tap::${[...ancestors(resource).reverse(), resource].map((r) => r.type).join("$")}::${resource.name}`;
  const isGrantOrBelow = (resource: DeclaredResource) =>
    [resource, ...ancestors(resource)].some((r) => r.type === temporaryAccessGrantType);

  it("finds the grants' components, memberships (direct and PIM), passes and role eligibilities, and the rest", () => {
    expect(declared.filter(isGrantOrBelow).map((r) => r.type)).toEqual(
      expect.arrayContaining([
        temporaryAccessGrantType,
        "azuread:index/groupMember:GroupMember",
        "entra-tap:graph:PimGroupMembership",
        "entra-tap:graph:UserTemporaryAccessPass",
        "azure-native:authorization:PimRoleEligibilitySchedule",
      ]),
    );
    expect(declared.filter((r) => !isGrantOrBelow(r)).map((r) => r.type)).toEqual(
      expect.arrayContaining([
        "entra-tap:index:TemporaryAccessPassPolicy",
        "entra-tap:index:TapAudience",
        "azuread:index/group:Group",
        "entra-tap:index:TapMonitoring",
      ]),
    );
  });

  it("selects every grant and everything below it, and nothing else", () => {
    const selected = declared.filter((r) => urnGlobMatches(grantsUrnGlob, urnOf(r))).map(urnOf);
    const grants = declared.filter(isGrantOrBelow).map(urnOf);
    expect(grants.length).toBeGreaterThan(3);
    expect(selected.sort()).toEqual(grants.sort());
  });

  it("leaves out the stack and the default providers, whatever the stack and project", () => {
    for (const urn of [
      "urn:pulumi:dev::entra-tap::pulumi:pulumi:Stack::entra-tap-dev",
      "urn:pulumi:prod::entra-tap::pulumi:providers:azuread::default_6_9_1",
      "urn:pulumi:prod::entra-tap::pulumi:providers:azure-native::default_3_28_0",
      "urn:pulumi:prod::entra-tap::pulumi:providers:pulumi-nodejs::default",
    ]) {
      expect([urn, urnGlobMatches(grantsUrnGlob, urn)]).toEqual([urn, false]);
    }
    expect(
      urnGlobMatches(
        grantsUrnGlob,
        "urn:pulumi:prod-eu::entra-tap-2::entra-tap:index:TemporaryAccessGrant$entra-tap:graph:UserTemporaryAccessPass::a-tap",
      ),
    ).toBe(true);
  });
});
