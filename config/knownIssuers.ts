// `entra-tap:knownIssuers`: processes other than entra-tap that issue passes on purpose (Lifecycle Workflows' TAP task,
// account recovery, a self-service issuing app), each an application or service principal by id with a name. Their
// passes are `issued by <name>` in the review (from the audit log's initiatedBy) and are not alerted as issued outside
// the process; every other issuer still is.
import { z } from "zod";
import { filledText } from "../components/grant";
import { objectId, strictObject } from "../components/validation";

/** Enough for every process a tenant runs; the detection embeds the ids, so the list stays bounded. */
export const knownIssuersLimit = 50;

export function knownIssuersConfigSchema() {
  return z
    .array(
      strictObject({
        name: filledText("a name for people (e.g. Lifecycle Workflows)").pipe(
          z.string().max(64, { error: "at most 64 characters" }),
        ),
        /** The application (client) id or the service principal's object id: the audit log records both. */
        id: objectId("an application (client) id or service principal object id (GUID)").transform((id) =>
          id.toLowerCase(),
        ),
      }),
      { error: "a list of issuers ({name, id})" },
    )
    .max(knownIssuersLimit, { error: `at most ${knownIssuersLimit} issuers` })
    .superRefine((issuers, ctx) => {
      issuers.forEach((issuer, index) => {
        if (issuers.findIndex((other) => other.id === issuer.id) < index) {
          ctx.addIssue({ code: "custom", path: [index, "id"], input: issuer.id, message: "each id once" });
        }
      });
    })
    .default(() => []);
}

export type KnownIssuer = z.output<ReturnType<typeof knownIssuersConfigSchema>>[number];
