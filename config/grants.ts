// `entra-tap:grants`: one person's temporary access each (who, why, which ticket, who asked and approved, the
// window, the targeted group, optional Azure roles). The rules across grants and the policy are in grantRules.ts.
import { z } from "zod";
import { filledText, grantMembershipModes, grantUser, justificationFields } from "../components/grant";
import { tapLifetime } from "../components/tapPolicySettings";
import { grantPurposes } from "../components/passBootstrap";
import { azureScopePattern, roleDefinitionIdPattern } from "../components/roleDefinitionId";
import { isoDateTime, oneOf, strictObject } from "../components/validation";
import { expectedLocationsSchema } from "./grantLocations";

export function temporaryAccessGrantConfigSchema() {
  const isoDate = isoDateTime();
  const roleDefinition = "a role definition id, /providers/Microsoft.Authorization/roleDefinitions/<guid>";
  const scope = "an Azure scope: /subscriptions/<guid>[/...] or a management group";
  return strictObject({
    name: z
      .string({ error: "a name of lowercase letters, digits and dashes" })
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { error: "a name of lowercase letters, digits and dashes" }),
    user: grantUser(),
    ...justificationFields(),
    start: isoDate,
    expiry: isoDate,
    group: filledText("the key of a targeted group in entra-tap:audience.targets"),
    /**
     * How the user joins the group: `direct` (a plain membership, ended by the first `pulumi up` after the expiry) or
     * `pim` (PIM for Groups: Entra ends it at the expiry by itself; needs Entra ID P2 or ID Governance).
     */
    membership: oneOf(grantMembershipModes).default("direct"),
    /** Left out: the TAP policy's default lifetime (filled in by config/index.ts). */
    lifetimeInMinutes: tapLifetime().optional(),
    isUsableOnce: z.boolean({ error: "true or false" }).default(true),
    azureRoles: z
      .array(
        strictObject({
          // Either form: the grant declares the one its scope needs (config/grantRules.ts refuses one it cannot).
          roleDefinitionId: z
            .string({ error: roleDefinition })
            .regex(roleDefinitionIdPattern, { error: roleDefinition }),
          scope: z.string({ error: scope }).regex(azureScopePattern, { error: scope }),
          end: isoDate.optional(),
        }),
        { error: "a list of Azure roles" },
      )
      .default([]),
    revokeSessionsOnEnd: z.boolean({ error: "true or false" }).default(true),
    reissue: z.int({ error: "an integer from 0" }).min(0, { error: "an integer from 0" }).default(0),
    /** Who receives the pass, sealed to their key in entra-tap:handover.recipients. Left out: the approver. */
    handoverTo: z
      .array(filledText("a person in entra-tap:handover.recipients"), { error: "a list of people" })
      .min(1, { error: "at least one person (leave handoverTo out for the approver)" })
      .optional(),
    /**
     * What the pass is for. An onboarding purpose expects a phishing-resistant method soon after the pass is used
     * (entra-tap:bootstrap): the review and a detection flag a bootstrap that left none.
     */
    purpose: oneOf(grantPurposes).optional(),
    /** Where the user is expected to sign in from during the window (monitoring only). */
    expectedLocations: expectedLocationsSchema().optional(),
  });
}

/** A grant as the stack file holds it (its lifetime may be left to the policy's default). */
export type TemporaryAccessGrantConfig = z.output<ReturnType<typeof temporaryAccessGrantConfigSchema>>;
