import type * as pulumiType from "@pulumi/pulumi";
import { contractorsGroupId as groupObjectId } from "../support/fixtures";
import { mockRuntime } from "../support/mockRuntime";
import { settled } from "../support/outputs";
import type { DeclaredResource } from "../../scripts/declaredResources";

describe("TemporaryAccessPassPolicy under the mock runtime", () => {
  let declared: DeclaredResource[];
  let pulumi: typeof pulumiType;

  beforeAll(async () => {
    declared = await mockRuntime({
      outputsOf: (resource) =>
        resource.type === "azuread:index/group:Group" ? { objectId: groupObjectId } : {},
    });
    pulumi = await import("@pulumi/pulumi");
    const azuread = await import("@pulumi/azuread");
    const { TemporaryAccessPassPolicy } = await import("../../components/temporaryAccessPassPolicy");
    // A group created in the same program: its object id is an output, not known when the program runs.
    const group = new azuread.Group("contractors", {
      displayName: "TAP - Contractors",
      securityEnabled: true,
    });
    const policy = new TemporaryAccessPassPolicy("tap-policy", {
      includeTargets: [{ id: group.objectId, isRegistrationRequired: false }],
      defaultLength: 16,
      cloud: "usgovernmentl4",
    });
    await settled(policy.state);
  });

  const graphResource = () => declared.find((r) => r.type === "entra-tap:graph:TemporaryAccessPassPolicy")!;

  it("declares the component and its Graph resource, parented to it and named from it", () => {
    const component = declared.find((r) => r.type === "entra-tap:index:TemporaryAccessPassPolicy");
    expect(component).toMatchObject({ name: "tap-policy", parent: null });
    expect(graphResource()).toMatchObject({ name: "tap-policy", parent: "tap-policy" });
  });

  it("wires another resource's output into the targets", () => {
    expect(graphResource().inputs.includeTargets).toEqual([
      { id: groupObjectId, isRegistrationRequired: false },
    ]);
  });

  it("passes the declaration through to entra-tap's provider plugin, with no provider code in it", () => {
    expect(graphResource().type).toBe("entra-tap:graph:TemporaryAccessPassPolicy");
    expect(graphResource().inputs).toMatchObject({ defaultLength: 16, cloud: "usgovernmentl4" });
    expect(graphResource().inputs).not.toHaveProperty("__provider");
  });

  it("exposes the policy's settings as outputs of the component", async () => {
    const { TemporaryAccessPassPolicy } = await import("../../components/temporaryAccessPassPolicy");
    const policy = new TemporaryAccessPassPolicy("second", {
      includeTargets: [{ id: "all_users" }],
      defaultLength: 20,
    });
    const length = await settled(policy.defaultLength);
    expect(length).toBe(20);
    expect(pulumi.Output.isInstance(policy.includeTargets)).toBe(true);
  });
});
