// Which resources of a stack are the grants, for splitting one `pulumi up` between two identities by Pulumi's own
// resource targeting. The workflows (.github/workflows/) cannot import this file, so they spell the glob out;
// test/workflows checks that they spell exactly `grantsUrnGlob`, and test/scripts/grantTargets.test.ts and the
// engine suite (test/engine/targeting.engine.test.ts) check what it selects.
//
//   entra-tap-policy  pulumi up --exclude "<grantsUrnGlob>" --exclude-dependents   the policy, audience, monitoring
//   entra-tap-passes  pulumi up --target "<grantsUrnGlob>" --target-dependents     the grants
//
// See docs/permissions.md, "Identities".

import { temporaryAccessGrantType } from "../components/providerInputs";

/**
 * The grants: every `TemporaryAccessGrant` component of the stack and everything below it (its group membership,
 * pass and Azure role eligibilities), whatever the stack and project. A child's URN type is its parent's type, `$`,
 * its own (`...::entra-tap:index:TemporaryAccessGrant$azuread:index/groupMember:GroupMember::jane-membership`).
 * In Pulumi's URN globs, `*` is any run of characters other than `:` and `**` is anything (`urnGlobMatches`).
 */
export const grantsUrnGlob = `urn:pulumi:*::*::${temporaryAccessGrantType}**`;

/**
 * Whether `urn` matches the URN glob `glob` the way the Pulumi CLI's `--target` and `--exclude` match it
 * (pkg/resource/deploy's UrnTargets: `**` matches anything, `*` anything but `:`, the rest literally, whole URN).
 */
export function urnGlobMatches(glob: string, urn: string): boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = glob
    .split("**")
    .map((segment) => segment.split("*").map(escape).join("[^:]*"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(urn);
}
