// The emulator's authentication methods and audit log must answer as Graph does: the methods a user registered with
// their types and times, the pass among them; the audit entries a filter Graph supports selects, newest first, and a
// refusal of any other filter or of a caller without AuditLog.Read.All.
import { contractorsGroupId } from "../fixtures";
import type { GraphEmulator } from "./server";
import { useResetGraphEmulator } from "./setups";
import { errorOf, send } from "./testRequests";
import { microsoftDefaultTapPolicy } from "./tapPolicy";

describe("the Graph emulator's authentication methods and audit log", () => {
  let emulator: GraphEmulator;
  useResetGraphEmulator((started) => (emulator = started));
  let userId: string;
  const audits = (filter: string) =>
    send(emulator, "GET", `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}`);

  beforeEach(() => {
    emulator.policy = {
      ...microsoftDefaultTapPolicy(),
      state: "enabled",
      includeTargets: [{ id: contractorsGroupId, targetType: "group", isRegistrationRequired: false }],
    };
    userId = emulator.addUser({ userPrincipalName: "jane@contoso.example" }).id;
    emulator.addMember(contractorsGroupId, userId);
  });

  it("lists the password, each registered method with its type and time, and the pass without its passcode", async () => {
    const at = Date.parse("2026-12-01T10:00:00Z");
    emulator.registerMethod(userId, "fido2", at);
    await send(emulator, "POST", `/v1.0/users/${userId}/authentication/temporaryAccessPassMethods`, {});
    const { value } = (await (
      await send(emulator, "GET", `/v1.0/users/${userId}/authentication/methods`)
    ).json()) as {
      value: Record<string, unknown>[];
    };
    expect(value.map((m) => m["@odata.type"])).toEqual([
      "#microsoft.graph.passwordAuthenticationMethod",
      "#microsoft.graph.fido2AuthenticationMethod",
      "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    ]);
    expect(value[1].createdDateTime).toBe("2026-12-01T10:00:00.000Z");
    expect(value[2]).toMatchObject({ temporaryAccessPass: null, isUsable: true, lifetimeInMinutes: 60 });
  });

  it("records who issued a pass and who registered a method, and selects them by activity, target and time", async () => {
    await send(emulator, "POST", `/v1.0/users/${userId}/authentication/temporaryAccessPassMethods`, {});
    emulator.registerMethod(userId, "windowsHello");
    const issued = (await (
      await audits(
        `activityDisplayName eq 'Admin registered security info' and targetResources/any(t:t/id eq '${userId}')`,
      )
    ).json()) as { value: { initiatedBy: unknown; resultReason: string }[] };
    expect(issued.value).toEqual([
      expect.objectContaining({
        initiatedBy: { app: expect.objectContaining({ displayName: "entra-tap deployment" }) },
        resultReason: "Admin registered temporary access pass method for user",
      }),
    ]);
    const later = (await (await audits("activityDateTime ge 2999-01-01T00:00:00Z")).json()) as { value: [] };
    expect(later.value).toEqual([]);
    const other = (await (
      await audits(`targetResources/any(t:t/id eq '00000000-0000-4000-8000-000000000000')`)
    ).json()) as { value: [] };
    expect(other.value).toEqual([]);
  });

  it("refuses a filter Graph does not support, and a caller without AuditLog.Read.All", async () => {
    const unsupported = await audits("resultReason eq 'x'");
    expect([unsupported.status, (await errorOf(unsupported)).code]).toEqual([400, "BadRequest"]);
    emulator.auditLogForbidden = true;
    const forbidden = await audits("activityDisplayName eq 'x'");
    expect([forbidden.status, (await errorOf(forbidden)).code]).toEqual([403, "Authorization_RequestDenied"]);
  });
});
