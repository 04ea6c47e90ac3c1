// `entra-tap:policy`: the tenant's TAP policy as the stack declares it (settings and what destroy does).
import { z } from "zod";
import { checkTapPolicyRelations, tapPolicyShape } from "../components/tapPolicySettings";
import { strictObject } from "../components/validation";

export function tapPolicyConfigSchema() {
  return strictObject(tapPolicyShape()).superRefine(checkTapPolicyRelations);
}

export type TapPolicyConfig = z.output<ReturnType<typeof tapPolicyConfigSchema>>;
