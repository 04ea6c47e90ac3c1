// The audit trail and the alerts: Entra logs (and the subscriptions' activity logs) to Log Analytics, one log search
// alert per detection, notifications through an action group, a review workbook, and optionally the same detections
// as Microsoft Sentinel rules.
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as monitor from "@pulumi/azure-native/monitor";
import * as securityinsights from "@pulumi/azure-native/securityinsights";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import {
  defaultPrivilegedOperations,
  type Detection,
  type DetectionContext,
  detections,
  detectionTag,
  detectionVersionTag,
  type GrantLocations,
  grantFunctions,
  type MonitoredGrant,
  type PrivilegedOperations,
  type Severity,
} from "./detections";
import {
  type ChildOptions,
  defaultRetentionInDays,
  logAnalyticsWorkspace,
  type MonitoringWorkspace,
  sentinelOnboarding,
  type WorkspaceArgs,
  workspaceFunction,
} from "./tapMonitoringWorkspace";
import { defaultRegistrationWithinMinutes } from "./passBootstrap";
import { componentType } from "./providerInputs";
import { reviewWorkbook } from "./tapReviewWorkbook";
import { isObjectId } from "./validation";

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

export type DetectionOverride = Partial<Omit<DetectionSettings, "severity">> & { severity?: number };

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

/** A grant as TapMonitoring takes it: what the queries may see of it, and where its user is expected to sign in. */
export interface GrantToMonitor extends MonitoredGrant {
  expectedLocations?: { countries?: string[]; ipRanges?: string[] };
}

/**
 * The grants the queries embed: those that have not ended, and those that ended less than the workspace's retention
 * ago (their activity can still be reviewed); older ones drop out, as their logs have. Each keeps its name, user,
 * ticket, start, expiry and purpose (when it has one), and nothing else, whatever else the object given holds.
 */
export function monitoredGrants(
  grants: readonly MonitoredGrant[],
  retentionInDays: number,
  now: number,
): MonitoredGrant[] {
  const retainedSince = now - retentionInDays * 86_400_000;
  return grants
    .filter((grant) => Date.parse(grant.expiry) >= retainedSince)
    .map(({ name, user, ticket, start, expiry, purpose }) =>
      purpose ? { name, user, ticket, start, expiry, purpose } : { name, user, ticket, start, expiry },
    );
}

/** The expected locations of the monitored grants that declare some. */
export function grantLocations(
  grants: readonly GrantToMonitor[],
  monitored: readonly MonitoredGrant[],
): GrantLocations[] {
  const names = new Set(monitored.map((grant) => grant.name));
  return grants
    .filter((grant) => names.has(grant.name) && grant.expectedLocations)
    .map((grant) => ({
      grant: grant.name,
      countries: grant.expectedLocations?.countries ?? [],
      ipRanges: grant.expectedLocations?.ipRanges ?? [],
    }))
    .filter((location) => location.countries.length + location.ipRanges.length > 0);
}

/** The activity-log categories routed to the workspace: control-plane writes, security alerts, policy decisions. */
export const activityLogCategories = ["Administrative", "Security", "Policy"] as const;

export interface TapMonitoringArgs {
  resourceGroupName: string;
  location: string;
  /** A workspace to create, or an existing one by resource id. */
  workspace: WorkspaceArgs;
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
  /** Subscriptions whose activity log (Administrative, Security, Policy) goes to the workspace: AzureActivity. */
  activityLog?: { subscriptionIds: string[] };
  /** Operations that are privileged when a grant's user performs them (default: defaultPrivilegedOperations). */
  privilegedOperations?: PrivilegedOperations;
  /** The stack's grants: the queries see their name, user, ticket, window and purpose (see monitoredGrants). */
  grants?: GrantToMonitor[];
  /**
   * The groups the TAP policy targets, as the audit log names them: object ids, or the display names of groups
   * created in the same deployment (their ids are not known before it). Membership clean-up is read from these.
   */
  targetGroups?: string[];
  /** Processes that issue passes on purpose, by app or service principal id: not out of process (default: none). */
  knownIssuers?: { name: string; id: string }[];
  /** How long an onboarding grant's used pass is given to leave a phishing-resistant method (default: 60 minutes). */
  bootstrap?: { registrationWithinMinutes: number };
  /** The time grants are judged at (default: now). */
  now?: Date;
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
    super(componentType("TapMonitoring"), name, {}, opts);
    const parent = { parent: this };
    const workspace = logAnalyticsWorkspace(name, args, parent);
    this.workspaceId = workspace.id;
    entraLogRouting(name, args, workspace.id, parent);
    activityLogRouting(name, args, workspace.id, parent);
    this.actionGroupId = notifications(name, args, parent).id;

    const grants = monitoredGrants(
      args.grants ?? [],
      args.workspace.retentionInDays ?? defaultRetentionInDays,
      args.now?.getTime() ?? Date.now(),
    );
    // Every query that joins the grants calls these functions, so each must exist before any rule or workbook.
    const functions = grantFunctions(grants, grantLocations(args.grants ?? [], grants)).map((fn) =>
      workspaceFunction(name, fn, workspace, parent),
    );
    const sentinel = args.sentinel ? sentinelOnboarding(name, workspace, parent) : undefined;
    const context = detectionContext(args, this);
    this.alertRuleIds = {};
    this.sentinelRuleIds = {};
    for (const detection of detections) {
      const settings = detectionSettings(detection, args.detections[detection.key]);
      if (!settings.enabled) continue;
      const query = context.apply((values) => detection.query(values, settings));
      const rule = { name, detection, settings, query };
      const ruleOptions = { parent: this, dependsOn: functions };
      this.alertRuleIds[detection.key] = alertRule(
        rule,
        args,
        workspace.id,
        this.actionGroupId,
        ruleOptions,
      ).id;
      if (sentinel) {
        this.sentinelRuleIds[detection.key] = sentinelRule(rule, workspace, {
          parent: this,
          dependsOn: [...functions, ...sentinel],
        }).id;
      }
    }

    this.workbookId = new applicationinsights.Workbook(
      `${name}-review`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        resourceName: stableGuid(`${name}/review-workbook`),
        kind: "shared",
        category: "workbook",
        displayName: "entra-tap: Temporary Access Pass review",
        serializedData: JSON.stringify(reviewWorkbook()),
        sourceId: this.workspaceId,
      },
      { parent: this, dependsOn: functions },
    ).id;

    this.registerOutputs({
      workspaceId: this.workspaceId,
      actionGroupId: this.actionGroupId,
      alertRuleIds: this.alertRuleIds,
      sentinelRuleIds: this.sentinelRuleIds,
      workbookId: this.workbookId,
    });
  }
}

/** Tenant-wide: routes Entra's audit and sign-in logs to the workspace (Entra ID P1/P2, Security Administrator). */
function entraLogRouting(
  name: string,
  args: TapMonitoringArgs,
  workspaceId: pulumi.Output<string>,
  opts: ChildOptions,
) {
  return new aadiam.DiagnosticSetting(
    `${name}-entra-logs`,
    {
      name: args.diagnosticSetting.name,
      workspaceId,
      logs: [
        { category: "AuditLogs", enabled: true },
        { category: "SignInLogs", enabled: true },
        { category: "NonInteractiveUserSignInLogs", enabled: args.diagnosticSetting.nonInteractiveSignIns },
      ],
    },
    opts,
  );
}

/**
 * Per subscription: routes its activity log to the workspace (AzureActivity), so Azure operations of the grants' users
 * can be joined. A subscription-level diagnostic setting, named as the tenant's, each child named by its subscription.
 */
function activityLogRouting(
  name: string,
  args: TapMonitoringArgs,
  workspaceId: pulumi.Output<string>,
  opts: ChildOptions,
) {
  return (args.activityLog?.subscriptionIds ?? []).map(
    (subscriptionId) =>
      new monitor.DiagnosticSetting(
        `${name}-activity-log-${subscriptionId.toLowerCase()}`,
        {
          name: args.diagnosticSetting.name,
          resourceUri: `/subscriptions/${subscriptionId}`,
          workspaceId,
          logs: activityLogCategories.map((category) => ({ category, enabled: true })),
        },
        opts,
      ),
  );
}

function notifications(name: string, args: TapMonitoringArgs, opts: ChildOptions) {
  return new monitor.ActionGroup(
    `${name}-notifications`,
    {
      resourceGroupName: args.resourceGroupName,
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
    opts,
  );
}

interface DetectionRule {
  /** The component's name. */
  name: string;
  detection: Detection;
  settings: DetectionSettings;
  query: pulumi.Output<string>;
}

function alertRule(
  { name, detection, settings, query }: DetectionRule,
  args: TapMonitoringArgs,
  workspaceId: pulumi.Output<string>,
  actionGroupId: pulumi.Output<string>,
  opts: ChildOptions,
) {
  return new monitor.ScheduledQueryRule(
    `${name}-${detection.key}`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      displayName: `entra-tap: ${detection.displayName}`,
      description: detection.description,
      kind: "LogAlert",
      enabled: true,
      scopes: [workspaceId],
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
      actions: { actionGroups: settings.notify ? [actionGroupId] : [] },
      autoMitigate: false,
      // Names the detection, so the policy pack can tell the rules apart, and the version of its logic.
      tags: { [detectionTag]: detection.key, [detectionVersionTag]: detection.version },
    },
    opts,
  );
}

function sentinelRule(
  { name, detection, settings, query }: DetectionRule,
  workspace: MonitoringWorkspace,
  opts: ChildOptions,
) {
  return new securityinsights.ScheduledAlertRule(
    `${name}-sentinel-${detection.key}`,
    {
      resourceGroupName: workspace.resourceGroupName,
      workspaceName: workspace.name,
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
      techniques: detection.techniques,
      entityMappings: detection.entities,
    },
    opts,
  );
}

/**
 * The config values queries embed, with privileged groups expanded to their members at deployment. The grants are not
 * among them (they are in the workspace functions); no secret of the stack is an input here.
 */
function detectionContext(args: TapMonitoringArgs, parent: pulumi.Resource): pulumi.Output<DetectionContext> {
  const groupMembers = args.privilegedAccounts.groups.map(
    (objectId) => azuread.getGroupOutput({ objectId }, { parent }).members,
  );
  const users = args.privilegedAccounts.users;
  return pulumi.all(groupMembers).apply((members) => ({
    deploymentIdentityIds: args.deploymentIdentities,
    privilegedObjectIds: [...new Set([...users.filter(isObjectId), ...members.flat()])],
    privilegedUserPrincipalNames: users.filter((user) => !isObjectId(user)),
    targetGroups: [...new Set(args.targetGroups ?? [])],
    privilegedOperations: args.privilegedOperations ?? defaultPrivilegedOperations,
    knownIssuerIds: [...new Set((args.knownIssuers ?? []).map((issuer) => issuer.id.toLowerCase()))],
    registrationWithinMinutes: args.bootstrap?.registrationWithinMinutes ?? defaultRegistrationWithinMinutes,
  }));
}
