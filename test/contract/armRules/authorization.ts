// ARM's rules for Microsoft.Authorization: PIM role eligibility schedule requests.
import { dateTime, guidPattern, nonEmptyText, oneOf, text, type TypeRules } from "../armChecks";
import { objectOf, spec } from "./common";

// Microsoft.Authorization/roleEligibilityScheduleRequests, 2020-10-01 (azure-native 3.28
// authorization.PimRoleEligibilitySchedule creates schedules through them).
const pimSpec = spec(
  "authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01/RoleEligibilityScheduleRequest.json",
  "2020-10-01",
);
const pimExample = spec(
  "authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01/examples/PutRoleEligibilityScheduleRequest.json",
  "2020-10-01",
);
const pimRoleForm = `${pimExample} (at scope /subscriptions/<sub>, roleDefinitionId /subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid>); azure-native polls for a schedule with its input's form and times out on the tenant form at a subscription scope (terraform-provider-azurerm issues 31052, 23775, 29830; another subscription's form fails too: 22588); the tenant form at management groups: ../shared/reference/entra-tap.md §4, terraform-provider-azurerm website/docs/r/pim_eligible_role_assignment.html.markdown (Management Group example)`;
const subscriptionScope = new RegExp(`^/subscriptions/(${guidPattern.source.slice(1, -1)})(/.*)?$`, "i");
const managementGroupScope = /^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i;
export const roleIdForm = new RegExp(
  `^(?:/subscriptions/(${guidPattern.source.slice(1, -1)}))?/providers/Microsoft\\.Authorization/roleDefinitions/(${guidPattern.source.slice(1, -1)})$`,
  "i",
);
export const pimRoleEligibilitySchedule: TypeRules = {
  api: "Microsoft.Authorization/roleEligibilityScheduleRequests 2020-10-01",
  fields: [
    {
      path: "scope",
      required: true,
      check: text(
        new RegExp(`${subscriptionScope.source}|${managementGroupScope.source}`, "i"),
        "an ARM scope: /subscriptions/<guid>[/...] or /providers/Microsoft.Management/managementGroups/<name>",
      ),
      source: `${pimSpec} (the request's {scope}); ${pimExample}`,
    },
    {
      path: "roleDefinitionId",
      required: true,
      check: text(roleIdForm, "a role definition id"),
      source: `${pimSpec} (required roleDefinitionId)`,
    },
    // From an invoke (getUser): under the mock runtime `id-of-<upn>`; Azure's is an object id. Only present is checked.
    { path: "principalId", required: true, check: nonEmptyText, source: `${pimSpec} (required principalId)` },
    {
      path: "scheduleInfo.expiration.type",
      check: oneOf(["AfterDuration", "AfterDateTime", "NoExpiration"]),
      source: `${pimSpec} (scheduleInfo.expiration.type)`,
    },
    { path: "scheduleInfo.startDateTime", check: dateTime, source: `${pimSpec} (format date-time)` },
    { path: "scheduleInfo.expiration.endDateTime", check: dateTime, source: `${pimSpec} (format date-time)` },
    {
      path: "requestType",
      check: oneOf([
        "AdminAssign",
        "AdminRemove",
        "AdminUpdate",
        "AdminExtend",
        "AdminRenew",
        "SelfActivate",
        "SelfDeactivate",
        "SelfExtend",
        "SelfRenew",
      ]),
      source: `${pimSpec} (RequestType)`,
    },
  ],
  resource: [
    {
      rule: "roleDefinitionId in the scope's form: /subscriptions/<the scope's subscription>/providers/Microsoft.Authorization/roleDefinitions/<guid> at a subscription, resource group or resource; the tenant form /providers/Microsoft.Authorization/roleDefinitions/<guid> at a management group",
      source: pimRoleForm,
      problems: (inputs) => {
        const { roleDefinitionId, scope } = inputs;
        if (typeof roleDefinitionId !== "string" || typeof scope !== "string") return [];
        const role = roleIdForm.exec(roleDefinitionId);
        if (!role) return [];
        const atSubscription = subscriptionScope.exec(scope);
        if (atSubscription) {
          return role[1]?.toLowerCase() === atSubscription[1].toLowerCase()
            ? []
            : [
                `roleDefinitionId ${JSON.stringify(roleDefinitionId)} at scope ${JSON.stringify(scope)}: must be /subscriptions/${atSubscription[1]}/providers/Microsoft.Authorization/roleDefinitions/${role[2]}`,
              ];
        }
        if (managementGroupScope.test(scope) && role[1] !== undefined) {
          return [
            `roleDefinitionId ${JSON.stringify(roleDefinitionId)} at management group scope ${JSON.stringify(scope)}: must be /providers/Microsoft.Authorization/roleDefinitions/${role[2]}`,
          ];
        }
        return [];
      },
    },
    {
      rule: "an AfterDateTime expiration has an endDateTime after startDateTime; an AfterDuration one a duration",
      source: `${pimSpec} (expiration: type, endDateTime, duration); ${pimExample}`,
      problems: (inputs) => {
        const schedule = objectOf(inputs.scheduleInfo);
        const expiration = objectOf(schedule.expiration);
        if (expiration.type === "AfterDateTime") {
          if (expiration.endDateTime === undefined)
            return ["scheduleInfo.expiration: AfterDateTime without endDateTime"];
          const start = Date.parse(String(schedule.startDateTime));
          const end = Date.parse(String(expiration.endDateTime));
          return !Number.isNaN(start) && !Number.isNaN(end) && end <= start
            ? [
                `scheduleInfo: ends (${String(expiration.endDateTime)}) no later than it starts (${String(schedule.startDateTime)})`,
              ]
            : [];
        }
        if (expiration.type === "AfterDuration" && expiration.duration === undefined) {
          return ["scheduleInfo.expiration: AfterDuration without duration"];
        }
        return [];
      },
    },
  ],
  undocumented: [
    "justification: no length limit in the spec",
    "ticketInfo.ticketNumber and ticketSystem: no length limit in the spec",
    "roleDefinitionId at a management group: the specs hold no example at that scope; the tenant form there is the Terraform provider's documentation and the project's reference",
  ],
};
