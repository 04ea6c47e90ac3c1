// The registration preflight's findings, said where people look: a warning on the pass in `pulumi preview` and
// `pulumi up`. Light on purpose (no azuread or azure-native), so every program that declares passes can use it.
import * as pulumi from "@pulumi/pulumi";
import type { UserTemporaryAccessPass } from "./graphResources";
import { neutralise } from "./neutralise";

/**
 * Warns when the pass, as far as Graph told its provider at issue or at the last refresh, could not register what it
 * is for: `pulumi preview --refresh` shows it for a pass already issued (an upcoming grant's pass is issued, not yet
 * valid, ahead of its start).
 */
export function warnOfRegistrationPath(name: string, pass: UserTemporaryAccessPass): void {
  pass.registrationWarnings.apply((warnings) => {
    for (const warning of warnings ?? []) {
      void pulumi.log.warn(`grant ${name}: ${neutralise(warning)}`, pass);
    }
  });
}
