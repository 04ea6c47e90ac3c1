// A stack's Graph calls go to its own tenant only: against the emulator over HTTP, a client bound to the emulator's
// tenant works, one bound to another tenant sends nothing, and an environment naming another tenant is refused before
// any sign-in.
import { graphClientFromEnvironment } from "../../../components/graph/client";
import { requireTenant, TenantMismatchError, tokenTenant } from "../../../components/graph/tenantBinding";
import { tenantMoveFailures } from "../../../components/providerInputs";
import { GraphEmulator } from "../../support/graphEmulator";

let emulator: GraphEmulator;
beforeAll(async () => {
  emulator = await GraphEmulator.start();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const otherTenant = "0b8e8e5e-1c2d-4e3f-9a0b-1c2d3e4f5a6b";
const options = { retryDelayInMs: 1, maxRetries: 1 };

describe("the tenant binding", () => {
  it("sends a stack's requests with its own tenant's token", async () => {
    const graph = graphClientFromEnvironment(
      { cloud: "global", tenantId: emulator.tenantId },
      emulator.env(),
      options,
    );
    await expect(
      graph.get(
        "Read the TAP policy",
        "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass",
      ),
    ).resolves.toMatchObject({ status: 200 });
  });

  it("sends nothing with a token for another tenant, saying both tenants", async () => {
    const graph = graphClientFromEnvironment(
      { cloud: "global", tenantId: otherTenant },
      emulator.env(),
      options,
    );
    const read = graph.get(
      "Read the TAP policy",
      "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass",
    );
    await expect(read).rejects.toThrow(TenantMismatchError);
    await expect(read).rejects.toThrow(
      `Read the TAP policy: the Graph token is for tenant ${emulator.tenantId}, the stack's tenant is ${otherTenant} (entra-tap:tenantId): refusing to send`,
    );
    expect(emulator.requests).toEqual([]);
  });

  it("refuses a token that does not say its tenant", () => {
    expect(tokenTenant("opaque-token")).toBeUndefined();
    expect(() => requireTenant("opaque-token", otherTenant)).toThrow(
      /does not say its tenant \(no tid claim\)/,
    );
  });

  it("refuses an environment that names another tenant, before signing in", () => {
    expect(() =>
      graphClientFromEnvironment(
        { cloud: "global", tenantId: otherTenant },
        { AZURE_TENANT_ID: emulator.tenantId },
      ),
    ).toThrow(
      `AZURE_TENANT_ID is ${emulator.tenantId}, the stack's tenant is ${otherTenant} (entra-tap:tenantId): refusing to sign in`,
    );
  });
});

describe("tenantMoveFailures", () => {
  it("lets a stack name its tenant the first time, and never move a resource to another or drop it", () => {
    expect(tenantMoveFailures({}, { tenantId: otherTenant })).toEqual([]);
    expect(tenantMoveFailures({ tenantId: otherTenant }, { tenantId: otherTenant })).toEqual([]);
    expect(tenantMoveFailures({ tenantId: otherTenant }, { tenantId: emulator.tenantId })).toEqual([
      {
        property: "tenantId",
        reason: `tenantId: "${emulator.tenantId}" is not allowed; expected "${otherTenant}", the tenant the resource was made in (a stack cannot move to another tenant: make a new stack for it)`,
      },
    ]);
    expect(tenantMoveFailures({ tenantId: otherTenant }, {})).toHaveLength(1);
  });
});
