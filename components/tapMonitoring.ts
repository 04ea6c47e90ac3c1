// The audit trail and the alerts: Entra logs to Log Analytics, one log search alert per detection, notifications
// through an action group, a review workbook, and optionally the same detections as Microsoft Sentinel rules.
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as securityinsights from "@pulumi/azure-native/securityinsights";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { z } from "zod";
import {
  type Detection,
  type DetectionContext,
  detectionKeys,
  detections,
  type Severity,
} from "./detections";
import { reviewWorkbook } from "./tapReviewWorkbook";
import { integerInRange, strictObject, undecryptedSecret } from "./validation";

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const workspaceResourceId =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)$/i;
/** ISO 8601 durations Azure Monitor accepts for a log search alert's schedule: minutes, hours or days. */
const isoDuration = /^(PT\d{1,4}[MH]|P\d{1,2}D)$/;

/** The tag on each alert rule that names its detection. */
export const detectionTag = "entra-tap-detection";

/** Settings of one detection that config may override. */
export interface DetectionSettings {
  enabled: boolean;
  severity: Severity;
  evaluationFrequency: string;
  windowSize: string;
  threshold: number;
  /** Send the alert to the action group. */
  notify: boolean;
}

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

export type DetectionOverride = z.output<ReturnType<typeof detectionOverrideSchema>>;

export function tapMonitoringConfigSchema() {
  const nonEmpty = (what: string) =>
    z.string({ error: what }).refine((value) => value.trim().length > 0, { error: what });
  const objectId = z.string({ error: "an object id (GUID)" }).regex(guid, { error: "an object id (GUID)" });
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
    deploymentIdentities: z.array(objectId, { error: "a list of object ids" }).min(1, {
      error: "the object id of at least one identity that runs pulumi up (passes it issues are in process)",
    }),
    privilegedAccounts: strictObject({
      users: z
        .array(
          z
            .string({ error: "a user principal name or object id" })
            .refine((user) => guid.test(user) || /^[^@\s]+@[^@\s]+$/.test(user), {
              error: "a user principal name or object id",
            }),
          { error: "a list of users" },
        )
        .default([]),
      groups: z.array(objectId, { error: "a list of group object ids" }).default([]),
    }).default({ users: [], groups: [] }),
    detections: strictObject(
      Object.fromEntries(detectionKeys.map((key) => [key, detectionOverrideSchema().optional()])) as Record<
        string,
        z.ZodOptional<ReturnType<typeof detectionOverrideSchema>>
      >,
    ).default({}),
    sentinel: z.boolean({ error: "true or false" }).default(false),
  });
}

export type TapMonitoringConfig = z.output<ReturnType<typeof tapMonitoringConfigSchema>>;

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

/** A detection's settings: its defaults, with the config's overrides on top. */
export function detectionSettings(detection: Detection, override: DetectionOverride = {}): DetectionSettings {
  return {
    enabled: override.enabled ?? true,
    severity: (override.severity ?? detection.severity) as Severity,
    evaluationFrequency: override.evaluationFrequency ?? detection.evaluationFrequency,
    windowSize: override.windowSize ?? detection.windowSize,
    threshold: override.threshold ?? detection.threshold,
    notify: override.notify ?? true,
  };
}

/** Sentinel's severity names for Azure Monitor's 0..4. */
export const sentinelSeverity: Record<Severity, string> = {
  0: "High",
  1: "High",
  2: "Medium",
  3: "Low",
  4: "Informational",
};

/** A stable GUID derived from text (a workbook's resource name must be a GUID and must not change). */
export function stableGuid(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface TapMonitoringArgs {
  resourceGroupName: string;
  location: string;
  /** A workspace to create, or an existing one by resource id. */
  workspace: { name?: string; retentionInDays?: number; resourceId?: string };
  diagnosticSetting: { name: string; nonInteractiveSignIns: boolean };
  actionGroup: {
    shortName: string;
    emails: { name: string; address: string }[];
    /** Webhook URLs carry tokens: pass them as secrets. */
    webhooks: { name: string; url: pulumi.Input<string> }[];
  };
  deploymentIdentities: string[];
  privilegedAccounts: { users: string[]; groups: string[] };
  detections: Partial<Record<string, DetectionOverride>>;
  sentinel: boolean;
}

export class TapMonitoring extends pulumi.ComponentResource {
  readonly workspaceId: pulumi.Output<string>;
  readonly actionGroupId: pulumi.Output<string>;
  /** Alert rule ids by detection key (enabled detections only). */
  readonly alertRuleIds: Record<string, pulumi.Output<string>>;
  /** Sentinel analytics rule ids by detection key, when Sentinel is on. */
  readonly sentinelRuleIds: Record<string, pulumi.Output<string>>;
  readonly workbookId: pulumi.Output<string>;

  constructor(name: string, args: TapMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("entra-tap:index:TapMonitoring", name, {}, opts);
    const { resourceGroupName, location } = args;

    let workspaceName: pulumi.Output<string>;
    if (args.workspace.resourceId) {
      this.workspaceId = pulumi.output(args.workspace.resourceId);
      workspaceName = pulumi.output(workspaceResourceId.exec(args.workspace.resourceId)![1]);
    } else {
      const workspace = new operationalinsights.Workspace(
        `${name}-workspace`,
        {
          resourceGroupName,
          location,
          workspaceName: args.workspace.name,
          retentionInDays: args.workspace.retentionInDays ?? 90,
          sku: { name: "PerGB2018" },
        },
        { parent: this },
      );
      this.workspaceId = workspace.id;
      workspaceName = workspace.name;
    }

    // Tenant-wide: routes Entra's audit and sign-in logs to the workspace (Entra ID P1/P2, Security Administrator).
    new aadiam.DiagnosticSetting(
      `${name}-entra-logs`,
      {
        name: args.diagnosticSetting.name,
        workspaceId: this.workspaceId,
        logs: [
          { category: "AuditLogs", enabled: true },
          { category: "SignInLogs", enabled: true },
          { category: "NonInteractiveUserSignInLogs", enabled: args.diagnosticSetting.nonInteractiveSignIns },
        ],
      },
      { parent: this },
    );

    const actionGroup = new monitor.ActionGroup(
      `${name}-notifications`,
      {
        resourceGroupName,
        location: "Global",
        groupShortName: args.actionGroup.shortName,
        enabled: true,
        emailReceivers: args.actionGroup.emails.map((email) => ({
          name: email.name,
          emailAddress: email.address,
          useCommonAlertSchema: true,
        })),
        webhookReceivers: args.actionGroup.webhooks.map((webhook) => ({
          name: webhook.name,
          serviceUri: pulumi.secret(webhook.url),
          useCommonAlertSchema: true,
        })),
      },
      { parent: this },
    );
    this.actionGroupId = actionGroup.id;

    const context = detectionContext(args, this);
    this.alertRuleIds = {};
    this.sentinelRuleIds = {};
    for (const detection of detections) {
      const settings = detectionSettings(detection, args.detections[detection.key]);
      if (!settings.enabled) continue;
      const query = context.apply((values) => detection.query(values));
      const rule = new monitor.ScheduledQueryRule(
        `${name}-${detection.key}`,
        {
          resourceGroupName,
          location,
          displayName: `entra-tap: ${detection.displayName}`,
          description: detection.description,
          kind: "LogAlert",
          enabled: true,
          scopes: [this.workspaceId],
          severity: settings.severity,
          evaluationFrequency: settings.evaluationFrequency,
          windowSize: settings.windowSize,
          criteria: {
            allOf: [
              {
                query,
                timeAggregation: "Count",
                operator: "GreaterThan",
                threshold: settings.threshold,
                failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
              },
            ],
          },
          actions: { actionGroups: settings.notify ? [actionGroup.id] : [] },
          autoMitigate: false,
          // Names the detection, so the policy pack can tell the rules apart.
          tags: { [detectionTag]: detection.key },
        },
        { parent: this },
      );
      this.alertRuleIds[detection.key] = rule.id;

      if (args.sentinel) {
        this.sentinelRuleIds[detection.key] = new securityinsights.ScheduledAlertRule(
          `${name}-sentinel-${detection.key}`,
          {
            resourceGroupName,
            workspaceName,
            ruleId: stableGuid(`${name}/${detection.key}`),
            kind: "Scheduled",
            displayName: `entra-tap: ${detection.displayName}`,
            description: detection.description,
            enabled: true,
            query,
            queryFrequency: settings.evaluationFrequency,
            queryPeriod: settings.windowSize,
            severity: sentinelSeverity[settings.severity],
            triggerOperator: "GreaterThan",
            triggerThreshold: settings.threshold,
            suppressionDuration: "PT1H",
            suppressionEnabled: false,
            tactics: detection.tactics,
          },
          { parent: this },
        ).id;
      }
    }

    const workbook = new applicationinsights.Workbook(
      `${name}-review`,
      {
        resourceGroupName,
        location,
        resourceName: stableGuid(`${name}/review-workbook`),
        kind: "shared",
        category: "workbook",
        displayName: "entra-tap: Temporary Access Pass review",
        serializedData: JSON.stringify(reviewWorkbook()),
        sourceId: this.workspaceId,
      },
      { parent: this },
    );
    this.workbookId = workbook.id;

    this.registerOutputs({
      workspaceId: this.workspaceId,
      actionGroupId: this.actionGroupId,
      alertRuleIds: this.alertRuleIds,
      sentinelRuleIds: this.sentinelRuleIds,
      workbookId: this.workbookId,
    });
  }
}

/** The config values queries embed, with privileged groups expanded to their members at deployment. */
function detectionContext(args: TapMonitoringArgs, parent: pulumi.Resource): pulumi.Output<DetectionContext> {
  const groupMembers = args.privilegedAccounts.groups.map(
    (objectId) => azuread.getGroupOutput({ objectId }, { parent }).members,
  );
  const users = args.privilegedAccounts.users;
  return pulumi.all(groupMembers).apply((members) => ({
    deploymentIdentityIds: args.deploymentIdentities,
    privilegedObjectIds: [...new Set([...users.filter((u) => guid.test(u)), ...members.flat()])],
    privilegedUserPrincipalNames: users.filter((u) => !guid.test(u)),
  }));
}
