// The Log Analytics workspace the monitoring lives in, and what entra-tap declares inside it: the functions that hold
// the grants for the queries, and Sentinel's onboarding when Sentinel is on.
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as securityinsights from "@pulumi/azure-native/securityinsights";
import * as pulumi from "@pulumi/pulumi";
import type { WorkspaceFunction } from "./detections";

/** The workspace's retention when entra-tap does not set it (an existing workspace, or none given). */
export const defaultRetentionInDays = 90;

/** Where the workspace is: one to create (name, retention) or an existing one (resource id), exactly one. */
export interface WorkspaceArgs {
  name?: string;
  retentionInDays?: number;
  resourceId?: string;
}

export type ChildOptions = { parent: pulumi.Resource; dependsOn?: pulumi.Resource[] };

/** The Log Analytics workspace the rules watch: its id, name and resource group, and whether entra-tap created it. */
export interface MonitoringWorkspace {
  id: pulumi.Output<string>;
  name: pulumi.Output<string>;
  resourceGroupName: string;
  /** The workspace entra-tap declares; undefined for an existing one (given by resource id). */
  created?: operationalinsights.Workspace;
}

/** The workspace entra-tap creates, or the existing one named by resource id. */
export function logAnalyticsWorkspace(
  name: string,
  args: { resourceGroupName: string; location: string; workspace: WorkspaceArgs },
  opts: ChildOptions,
): MonitoringWorkspace {
  if (args.workspace.resourceId) {
    const id = args.workspace.resourceId;
    // `/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>`
    const parts = id.split("/");
    return { id: pulumi.output(id), name: pulumi.output(parts[8]), resourceGroupName: parts[4] };
  }
  const workspace = new operationalinsights.Workspace(
    `${name}-workspace`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      workspaceName: args.workspace.name,
      retentionInDays: args.workspace.retentionInDays ?? defaultRetentionInDays,
      sku: { name: "PerGB2018" },
    },
    opts,
  );
  return {
    id: workspace.id,
    // The name it is created with, known once it exists: what lives in it waits for it.
    name: workspace.id.apply(() => args.workspace.name!),
    resourceGroupName: args.resourceGroupName,
    created: workspace,
  };
}

/** One workspace function (a saved search with an alias) the queries call, named after its alias. */
export function workspaceFunction(
  name: string,
  fn: WorkspaceFunction,
  workspace: MonitoringWorkspace,
  opts: ChildOptions,
): operationalinsights.SavedSearch {
  return new operationalinsights.SavedSearch(
    `${name}-function-${fn.alias}`,
    {
      resourceGroupName: workspace.resourceGroupName,
      workspaceName: workspace.name,
      savedSearchId: fn.alias,
      category: "entra-tap",
      displayName: fn.displayName,
      functionAlias: fn.alias,
      query: fn.body,
      version: 2,
    },
    opts,
  );
}

/**
 * Sentinel on a workspace entra-tap creates: analytics rules on a workspace that is not onboarded fail ("Workspace ...
 * is not onboarded to Microsoft Sentinel"). An existing workspace must be onboarded already (docs/monitoring.md):
 * entra-tap does not take over a workspace it did not create. Empty when there is nothing to declare.
 */
export function sentinelOnboarding(
  name: string,
  workspace: MonitoringWorkspace,
  opts: ChildOptions,
): securityinsights.SentinelOnboardingState[] {
  if (!workspace.created) return [];
  return [
    new securityinsights.SentinelOnboardingState(
      `${name}-sentinel`,
      {
        resourceGroupName: workspace.resourceGroupName,
        workspaceName: workspace.name,
        // The only name the API accepts.
        sentinelOnboardingStateName: "default",
      },
      opts,
    ),
  ];
}
