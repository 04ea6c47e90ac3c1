// `entra-tap:audience`: the groups the TAP policy includes and excludes (existing ones by id, or ones entra-tap
// creates), and the Conditional Access around them.
import { z } from "zod";
import { conditionalAccessStates } from "../components/conditionalAccess";
import { integerInRange, objectId, oneOf, strictObject } from "../components/validation";

const groupKey = /^[a-zA-Z][a-zA-Z0-9-]{0,39}$/;

function audienceGroupShape() {
  const nonEmpty = z
    .string({ error: "a non-empty string" })
    .refine((text) => text.trim().length > 0, { error: "a non-empty string" })
    .transform((text) => text.trim());
  const owner = objectId("an owner's object id (GUID)");
  return {
    objectId: objectId("a group object id (GUID)").optional(),
    displayName: nonEmpty.optional(),
    description: nonEmpty.optional(),
    owners: z
      .array(owner, { error: "a list of owner object ids" })
      .min(1, { error: "at least one owner, so the group is never orphaned" })
      .optional(),
  };
}

/** A group is either an existing one (objectId) or one entra-tap creates (displayName, description, owners). */
function checkAudienceGroup(
  group: { objectId?: string; displayName?: string; description?: string; owners?: string[] },
  ctx: z.RefinementCtx,
) {
  const creates =
    group.displayName !== undefined || group.description !== undefined || group.owners !== undefined;
  if (group.objectId !== undefined && creates) {
    ctx.addIssue({
      code: "custom",
      path: ["objectId"],
      input: group.objectId,
      message:
        "either objectId (an existing group) or displayName, description and owners (a new group), not both",
    });
  } else if (group.objectId === undefined) {
    for (const key of ["displayName", "description", "owners"] as const) {
      if (group[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: undefined,
          message: `${key === "owners" ? "owners" : `a ${key}`} for a group entra-tap creates (or objectId for an existing group)`,
        });
      }
    }
  }
}

/** An excluded group: an existing one by object id, or a security group entra-tap creates (owned, no mail). */
function audienceExclusionSchema() {
  return strictObject(audienceGroupShape()).superRefine(checkAudienceGroup);
}

/** A targeted group, which also says whether its members must register security info with their pass. */
export function audienceTargetSchema() {
  return strictObject({
    ...audienceGroupShape(),
    isRegistrationRequired: z.boolean({ error: "true or false" }).default(false),
  }).superRefine(checkAudienceGroup);
}

export function tapAudienceConfigSchema() {
  const groups = <S extends z.ZodType>(group: S, atLeast: string) =>
    z.record(z.string(), group, { error: "a map of group keys to groups" }).superRefine((map, ctx) => {
      if (Object.keys(map).length === 0) ctx.addIssue({ code: "custom", input: map, message: atLeast });
      for (const key of Object.keys(map).filter((k) => !groupKey.test(k))) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: key,
          message: "a key of letters, digits and dashes, starting with a letter (at most 40)",
        });
      }
    });
  return strictObject({
    targets: groups(audienceTargetSchema(), "at least one targeted group"),
    exclusions: groups(
      audienceExclusionSchema(),
      "at least one excluded group (break-glass accounts at least)",
    ),
    sessionControls: strictObject({
      state: oneOf(conditionalAccessStates).default("enabledForReportingButNotEnforced"),
      requireTapToRegisterSecurityInfo: z.boolean({ error: "true or false" }).default(true),
      signInFrequencyInHours: integerInRange(1, 24).optional(),
    }).optional(),
  });
}
