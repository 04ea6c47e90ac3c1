// The entra-tap program: the stack's config, validated first, declares the tenant's Temporary Access Pass setup:
// the targeted groups, the TAP policy that includes them, the temporary access grants, and the audit trail and alerts.
import * as pulumi from "@pulumi/pulumi";
import { TapAudience } from "./components/tapAudience";
import { TapMonitoring } from "./components/tapMonitoring";
import { TemporaryAccessGrant } from "./components/temporaryAccessGrant";
import { TemporaryAccessPassPolicy } from "./components/temporaryAccessPassPolicy";
import { loadStackConfig } from "./config/program";
import { grantRecipients } from "./config/handover";

// `now`: the instant the config was judged at; every component that judges time judges at it.
const { config, now } = loadStackConfig();
const { cloud, tenantId } = config;

const audience = config.audience && new TapAudience("tap-audience", config.audience);

const policy = new TemporaryAccessPassPolicy("tap-policy", {
  ...config.policy,
  includeTargets: audience
    ? audience.includeTargets.apply((groups) => [...config.policy.includeTargets, ...groups])
    : config.policy.includeTargets,
  excludeTargets: audience
    ? audience.excludeTargets.apply((groups) => [...config.policy.excludeTargets, ...groups])
    : config.policy.excludeTargets,
  cloud,
  tenantId,
});

const grants = config.grants.map(
  (grant) =>
    new TemporaryAccessGrant(grant.name, {
      ...grant,
      // Validation guarantees the group is a targeted group of the audience.
      groupObjectId: audience!.targetGroupIds[grant.group],
      sealTo: grantRecipients(grant, config.handover),
      keepPasscodeInState: config.handover.passcodeInState,
      cloud,
      tenantId,
      issueAfter: [policy],
      now,
    }),
);

const monitoring =
  config.monitoring &&
  new TapMonitoring("tap-monitoring", {
    ...config.monitoring,
    actionGroup: {
      ...config.monitoring.actionGroup,
      // Webhook URLs carry tokens: secret in the state and the plan, whatever the stack file did.
      webhooks: config.monitoring.actionGroup.webhooks.map((webhook) => ({
        ...webhook,
        url: pulumi.secret(webhook.url),
      })),
    },
    // What the queries may see of a grant: who, which grant and ticket, the window, what the pass is for, and where
    // the user is expected.
    grants: config.grants.map(({ name, user, ticket, start, expiry, purpose, expectedLocations }) => ({
      name,
      user,
      ticket,
      start,
      expiry,
      purpose,
      expectedLocations,
    })),
    // The targeted groups as the audit log names them, known before deployment: ids, or the names of created groups.
    targetGroups: [
      ...config.policy.includeTargets.map((target) => target.id).filter((id) => id !== "all_users"),
      ...Object.values(config.audience?.targets ?? {}).map((group) => group.objectId ?? group.displayName!),
    ],
    // Issuers whose passes are not out of process, and the time a bootstrap is given (tapBootstrapFailed).
    knownIssuers: config.knownIssuers,
    bootstrap: config.bootstrap,
    now,
  });

export const tapPolicyState = policy.state;
export const tapPolicyLifetimeInMinutes = {
  minimum: policy.minimumLifetimeInMinutes,
  default: policy.defaultLifetimeInMinutes,
  maximum: policy.maximumLifetimeInMinutes,
};
/**
 * Each grant's pass: its status, user and window, and its passcode sealed to its recipients (`npm run handover`, or
 * `age -d`). No one else can open it, whoever holds the stack's secrets.
 */
export const grantPasses = Object.fromEntries(
  config.grants.map((grant, index) => [
    grant.name,
    {
      ended: grants[index].ended,
      status: grants[index].tapStatus,
      user: grant.user,
      isUsableOnce: grant.isUsableOnce,
      startDateTime: grants[index].passStartDateTime,
      endDateTime: grants[index].passEndDateTime,
      sealedTo: grants[index].sealedTo,
      sealedPasscode: grants[index].sealedPasscode,
    },
  ]),
);
/**
 * The plaintext passcodes by grant name, a Pulumi secret: empty unless the stack opts in
 * (`entra-tap:handover.passcodeInState`), which the policy pack flags.
 */
export const grantPasscodes = pulumi.secret(
  Object.fromEntries(
    config.handover.passcodeInState
      ? config.grants.map((grant, index) => [grant.name, grants[index].temporaryAccessPass])
      : [],
  ),
);
// null without monitoring: an undefined stack output makes Pulumi warn on every plan and preview.
export const monitoringWorkspaceId = monitoring?.workspaceId ?? null;
export const alertRuleIds = monitoring?.alertRuleIds ?? null;
