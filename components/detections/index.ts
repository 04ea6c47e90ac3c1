// The detections, assembled in one place.
import type { Detection } from "./detection";
import { multiUseTapIssued } from "./multiUseTapIssued";
import { repeatedFailedTapSignIns } from "./repeatedFailedTapSignIns";
import { tapDeleted } from "./tapDeleted";
import { tapIssued } from "./tapIssued";
import { tapIssuedOutOfProcess } from "./tapIssuedOutOfProcess";
import { tapIssuedToPrivilegedAccount } from "./tapIssuedToPrivilegedAccount";
import { tapPolicyChanged } from "./tapPolicyChanged";
import { tapSignIn } from "./tapSignIn";

export const detections: readonly Detection[] = [
  tapIssued,
  tapDeleted,
  tapPolicyChanged,
  tapIssuedOutOfProcess,
  tapIssuedToPrivilegedAccount,
  multiUseTapIssued,
  tapSignIn,
  repeatedFailedTapSignIns,
];

export const detectionKeys = detections.map((d) => d.key);
export type { Detection, DetectionContext, EntityMapping, Severity, Tactic, Technique } from "./detection";
export { detectionTag, kqlString, kqlStringList, mitreTechniques } from "./detection";
