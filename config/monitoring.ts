// `entra-tap:monitoring`: where Entra's logs go (workspace, diagnostic setting), which subscriptions' activity logs join
// them, who is notified (action group), who issues passes in process, which accounts are privileged, which operations
// are privileged for a user with temporary access, and per-detection overrides.
import { z } from "zod";
import { defaultPrivilegedOperations, detectionKeys } from "../components/detections";
import {
  integerInRange,
  isObjectId,
  objectId,
  strictObject,
  undecryptedSecret,
} from "../components/validation";

const workspaceResourceId =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i;
/** An Azure resource provider operation, e.g. Microsoft.Authorization/roleAssignments/write. */
const azureOperation = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+(\/[A-Za-z0-9.-]+)+$/;
/** ISO 8601 durations Azure Monitor accepts for a log search alert's schedule: minutes, hours or days. */
const isoDuration = /^(PT\d{1,4}[MH]|P\d{1,2}D)$/;

function detectionOverrideSchema() {
  const duration = z
    .string({ error: "an ISO 8601 duration in minutes, hours or days (PT5M, PT1H, P1D)" })
    .regex(isoDuration, { error: "an ISO 8601 duration in minutes, hours or days (PT5M, PT1H, P1D)" });
  return strictObject({
    enabled: z.boolean({ error: "true or false" }).optional(),
    severity: integerInRange(0, 4).optional(),
    evaluationFrequency: duration.optional(),
    windowSize: duration.optional(),
    threshold: integerInRange(0, 10000).optional(),
    notify: z.boolean({ error: "true or false" }).optional(),
  });
}

export function tapMonitoringConfigSchema() {
  const nonEmpty = (what: string) =>
    z.string({ error: what }).refine((value) => value.trim().length > 0, { error: what });
  const anObjectId = objectId("an object id (GUID)");
  return strictObject({
    resourceGroupName: z
      .string({ error: "an existing resource group's name" })
      .regex(/^[-\w.()]{1,90}$/, { error: "an existing resource group's name" }),
    location: z
      .string({ error: "an Azure region name, e.g. westeurope" })
      .regex(/^[a-z0-9]+$/, { error: "an Azure region name, e.g. westeurope" }),
    workspace: strictObject({
      name: z
        .string({ error: "a workspace name: 4..63 letters, digits and dashes" })
        .regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/, {
          error: "a workspace name: 4..63 letters, digits and dashes",
        })
        .optional(),
      retentionInDays: integerInRange(30, 730).optional(),
      resourceId: z
        .string({ error: "a Log Analytics workspace resource id" })
        .regex(workspaceResourceId, { error: "a Log Analytics workspace resource id" })
        .optional(),
    }).superRefine((workspace, ctx) => {
      if ((workspace.name === undefined) === (workspace.resourceId === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: ["name"],
          input: workspace.name,
          message: "either name (a workspace to create) or resourceId (an existing workspace), exactly one",
        });
      }
      if (workspace.resourceId !== undefined && workspace.retentionInDays !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["retentionInDays"],
          input: workspace.retentionInDays,
          message: "retention only for a workspace entra-tap creates (an existing one keeps its own)",
        });
      }
    }),
    diagnosticSetting: strictObject({
      name: z
        .string({ error: "a name of letters, digits, dashes and underscores" })
        .regex(/^[\w-]{1,64}$/, { error: "a name of letters, digits, dashes and underscores" })
        .default("entra-tap"),
      nonInteractiveSignIns: z.boolean({ error: "true or false" }).default(false),
    }).default({ name: "entra-tap", nonInteractiveSignIns: false }),
    actionGroup: strictObject({
      shortName: z
        .string({ error: "1..12 characters" })
        .min(1, { error: "1..12 characters" })
        .max(12, { error: "1..12 characters" }),
      emails: z
        .array(
          strictObject({
            name: nonEmpty("a receiver name"),
            address: z.email({ error: "an e-mail address" }),
          }),
          {
            error: "a list of e-mail receivers",
          },
        )
        .default([]),
      webhooks: z
        .array(
          strictObject({
            name: nonEmpty("a receiver name"),
            // A secret: the offline plan cannot decrypt it, and then checks the rest.
            url: z.union(
              [
                z.literal(undecryptedSecret),
                z.string().regex(/^https:\/\/[^\s]+$/, {
                  error: "an https URL (set it with pulumi config set --secret)",
                }),
              ],
              { error: "an https URL (set it with pulumi config set --secret)" },
            ),
          }),
          { error: "a list of webhook receivers" },
        )
        .default([]),
    }).superRefine((group, ctx) => {
      if (group.emails.length + group.webhooks.length === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["emails"],
          input: group.emails,
          message: "at least one e-mail or webhook receiver, so alerts reach someone",
        });
      }
    }),
    deploymentIdentities: z.array(anObjectId, { error: "a list of object ids" }).min(1, {
      error: "the object id of at least one identity that runs pulumi up (passes it issues are in process)",
    }),
    privilegedAccounts: strictObject({
      users: z
        .array(
          z
            .string({ error: "a user principal name or object id" })
            .refine((user) => isObjectId(user) || /^[^@\s]+@[^@\s]+$/.test(user), {
              error: "a user principal name or object id",
            }),
          { error: "a list of users" },
        )
        .default([]),
      groups: z.array(anObjectId, { error: "a list of group object ids" }).default([]),
    }).default({ users: [], groups: [] }),
    detections: strictObject(
      Object.fromEntries(detectionKeys.map((key) => [key, detectionOverrideSchema().optional()])) as Record<
        string,
        z.ZodOptional<ReturnType<typeof detectionOverrideSchema>>
      >,
    ).default({}),
    sentinel: z.boolean({ error: "true or false" }).default(false),
    activityLog: strictObject({
      subscriptionIds: z
        .array(objectId("a subscription id (GUID)"), { error: "a list of subscription ids" })
        .superRefine((ids, ctx) => {
          ids.forEach((id, index) => {
            if (ids.findIndex((other) => other.toLowerCase() === id.toLowerCase()) < index) {
              ctx.addIssue({
                code: "custom",
                path: [index],
                input: id,
                message: "each subscription once (it has one diagnostic setting)",
              });
            }
          });
        })
        .default(() => []),
    }).default(() => ({ subscriptionIds: [] })),
    privilegedOperations: strictObject({
      azure: z
        .array(
          z
            .string({ error: "an Azure operation, e.g. Microsoft.Authorization/roleAssignments/write" })
            .regex(azureOperation, {
              error: "an Azure operation, e.g. Microsoft.Authorization/roleAssignments/write",
            }),
          { error: "a list of Azure operations" },
        )
        .default(() => [...defaultPrivilegedOperations.azure]),
      directory: z
        .array(nonEmpty("an audit log operation name, e.g. Add member to role"), {
          error: "a list of audit log operation names",
        })
        .default(() => [...defaultPrivilegedOperations.directory]),
    }).default(() => ({
      azure: [...defaultPrivilegedOperations.azure],
      directory: [...defaultPrivilegedOperations.directory],
    })),
  });
}

/**
 * Config paths whose values may hold a webhook URL (a secret): the URL itself, anything under `webhooks`, and the
 * objects that contain them, so even a mis-shaped entry is never echoed in a message.
 */
export function isSecretMonitoringPath(path: readonly PropertyKey[]): boolean {
  if (path[0] !== "monitoring") return false;
  if (path.length === 1) return true;
  if (path[1] !== "actionGroup") return false;
  return path.length === 2 || path[2] === "webhooks";
}
