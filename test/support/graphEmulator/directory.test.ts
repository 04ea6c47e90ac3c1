// The emulator's directory reads must follow Graph's paging and query rules, or the tests that rely on them could not
// fail.
import { tapRegistrationMethod } from "./directory";
import type { GraphEmulator } from "./server";
import { useResetGraphEmulator } from "./setups";
import { errorOf } from "./testRequests";
import { contractorsGroupId } from "../fixtures";

describe("the Graph emulator's directory reads", () => {
  let emulator: GraphEmulator;
  useResetGraphEmulator((started) => (emulator = started));
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${emulator.url}/v1.0${path}`, {
      headers: { authorization: `Bearer ${emulator.token}`, ...headers },
    });
  const membersPath = (id: string, query = "$select=id,userPrincipalName&$top=2&$count=true") =>
    `/groups/${id}/transitiveMembers/microsoft.graph.user?${query}`;

  it("lists a group's transitive members, nested groups included, a page of $top at a time", async () => {
    const parent = emulator.addGroup({ displayName: "TAP - Contractors" });
    const child = emulator.addGroup({ displayName: "Vendors" });
    emulator.nestGroup(parent.id, child.id);
    for (const [upn, group] of [
      ["a@contoso.example", parent.id],
      ["b@contoso.example", parent.id],
      ["c@contoso.example", child.id],
    ]) {
      emulator.addMember(group, emulator.addUser({ userPrincipalName: upn }).id);
    }
    emulator.addUser({ userPrincipalName: "outside@contoso.example" });
    const first = (await (await get(membersPath(parent.id), { consistencylevel: "eventual" })).json()) as {
      value: { userPrincipalName: string }[];
      "@odata.nextLink": string;
    };
    expect(first.value.map((u) => u.userPrincipalName)).toEqual(["a@contoso.example", "b@contoso.example"]);
    expect(first.value[0]).toEqual({
      "@odata.type": "#microsoft.graph.user",
      id: expect.any(String),
      userPrincipalName: "a@contoso.example",
    });
    const next = new URL(first["@odata.nextLink"]);
    const second = (await (
      await get(`${next.pathname.slice(5)}${next.search}`, { consistencylevel: "eventual" })
    ).json()) as { value: { userPrincipalName: string }[]; "@odata.nextLink"?: string };
    expect(second.value.map((u) => u.userPrincipalName)).toEqual(["c@contoso.example"]);
    expect(second["@odata.nextLink"]).toBeUndefined();
  });

  it("refuses a cast on transitive members without ConsistencyLevel: eventual and $count=true", async () => {
    const group = emulator.addGroup({ displayName: "TAP - Contractors" });
    const withoutHeader = await get(membersPath(group.id));
    expect(withoutHeader.status).toBe(400);
    expect((await errorOf(withoutHeader)).code).toBe("Request_UnsupportedQuery");
    const withoutCount = await get(membersPath(group.id, "$top=2"), { consistencylevel: "eventual" });
    expect(withoutCount.status).toBe(400);
  });

  it("refuses a page size above 999", async () => {
    expect((await get("/users?$top=1000")).status).toBe(400);
    expect((await get("/users?$top=999")).status).toBe(200);
  });

  it("finds groups by display name, quotes doubled as OData escapes them", async () => {
    emulator.addGroup({ displayName: "Ops' team" });
    emulator.addGroup({ displayName: "Other" });
    const filter = encodeURIComponent("displayName eq 'Ops'' team'");
    const found = (await (await get(`/groups?$filter=${filter}&$select=id,displayName`)).json()) as {
      value: { displayName: string }[];
    };
    expect(found.value).toEqual([{ id: expect.any(String), displayName: "Ops' team" }]);
    expect((await get(`/groups/${contractorsGroupId}`)).status).toBe(404);
  });

  it("lists pass holders in the registration report, once the report has caught up", async () => {
    const holder = emulator.addUser({ userPrincipalName: "holder@contoso.example" });
    emulator.addUser({ userPrincipalName: "none@contoso.example" });
    emulator.addPass(holder.id, { startDateTime: new Date().toISOString(), lifetimeInMinutes: 60 });
    const filter = encodeURIComponent(`methodsRegistered/any(m:m eq '${tapRegistrationMethod}')`);
    const read = async () =>
      (
        (await (
          await get(`/reports/authenticationMethods/userRegistrationDetails?$filter=${filter}`)
        ).json()) as {
          value: { userPrincipalName: string; methodsRegistered: string[] }[];
        }
      ).value;
    expect(await read()).toEqual([
      expect.objectContaining({
        userPrincipalName: "holder@contoso.example",
        methodsRegistered: ["temporaryAccessPass"],
      }),
    ]);
    emulator.registrationReportLagMs = 3_600_000;
    expect(await read()).toEqual([]);
  });
});
