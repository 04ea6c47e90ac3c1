// The providers' checks as the offline plan runs them: at the instant it judges the stack, so `--at` plans what the
// program declared at that instant (the program declares a PIM membership only until its end).
import { pimGroupMembershipType } from "../../components/pimGroupMembership";
import type { DeclaredResource } from "../../scripts/declaredResources";
import { checkProviderResources } from "../../scripts/providerChecks";

const end = "2026-11-10T17:00:00Z";
const membership: DeclaredResource = {
  type: pimGroupMembershipType,
  name: "new-hire-pim-membership",
  parent: "new-hire",
  inputs: {
    groupId: "3f2b8c1e-7d4a-4e59-9b61-0c5a2e8d7f14",
    principalId: "6b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
    endDateTime: end,
    justification: {
      reason: "Onboarding",
      ticket: "HR-5520",
      requestedBy: "lisa.wong@contoso.com",
      approvedBy: "tom.becker@contoso.com",
    },
  },
  dependsOn: [],
  additionalSecretOutputs: [],
};

describe("checkProviderResources", () => {
  it("judges a PIM membership's end at the plan's instant, not the machine's clock", async () => {
    const before = await checkProviderResources([membership], false, Date.parse("2026-11-01T00:00:00Z"));
    expect(before.failures).toEqual([]);
    const after = await checkProviderResources([membership], false, Date.parse("2026-11-11T00:00:00Z"));
    expect(after.failures).toEqual([
      `new-hire-pim-membership: pimMembership.endDateTime: "${end}" has passed; a new PIM membership must end in the future`,
    ]);
  });
});
