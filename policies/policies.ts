// The pack's policies, assembled in one place: the PolicyPack (index.ts), the offline plan and the docs read this.
import { auditTrail } from "./rules/auditTrail";
import { grantAzureRoles } from "./rules/grantAzureRoles";
import { grantJustification } from "./rules/grantJustification";
import { grantLifetime } from "./rules/grantLifetime";
import { grantMultiUse } from "./rules/grantMultiUse";
import { grantPasscodeSealed } from "./rules/grantPasscodeSealed";
import { grantWindow } from "./rules/grantWindow";
import { singleTapPolicy } from "./rules/singleTapPolicy";
import { tapPolicyAllUsersTarget } from "./rules/tapPolicyAllUsersTarget";
import { tapPolicyBreakGlassExcluded } from "./rules/tapPolicyBreakGlassExcluded";
import { tapPolicyDefaultLifetime } from "./rules/tapPolicyDefaultLifetime";
import { tapPolicyLengthLimits } from "./rules/tapPolicyLengthLimits";
import { tapPolicyLifetimeLimits } from "./rules/tapPolicyLifetimeLimits";
import { tapPolicyMaximumLifetime } from "./rules/tapPolicyMaximumLifetime";
import { tapPolicyMinimumLength } from "./rules/tapPolicyMinimumLength";
import { tapPolicyOneTimeUse } from "./rules/tapPolicyOneTimeUse";
import { tapPolicyTargetOverlap } from "./rules/tapPolicyTargetOverlap";

export const policies = [
  tapPolicyLifetimeLimits,
  tapPolicyMaximumLifetime,
  tapPolicyDefaultLifetime,
  tapPolicyLengthLimits,
  tapPolicyMinimumLength,
  tapPolicyOneTimeUse,
  tapPolicyAllUsersTarget,
  tapPolicyBreakGlassExcluded,
  tapPolicyTargetOverlap,
  grantLifetime,
  grantWindow,
  grantJustification,
  grantPasscodeSealed,
  grantMultiUse,
  grantAzureRoles,
  singleTapPolicy,
  auditTrail,
];
