// The detections, assembled in one place.
import { accessAfterGrantWindow } from "./accessAfterGrantWindow";
import { type Detection } from "./detection";
import { multiUseTapIssued } from "./multiUseTapIssued";
import { privilegedOperationByTemporaryUser } from "./privilegedOperationByTemporaryUser";
import { repeatedFailedTapSignIns } from "./repeatedFailedTapSignIns";
import { tapBootstrapFailed } from "./tapBootstrapFailed";
import { tapDeleted } from "./tapDeleted";
import { tapIssued } from "./tapIssued";
import { tapIssuedOutOfProcess } from "./tapIssuedOutOfProcess";
import { tapIssuedToPrivilegedAccount } from "./tapIssuedToPrivilegedAccount";
import { tapPolicyChanged } from "./tapPolicyChanged";
import { tapSignIn } from "./tapSignIn";
import { unexpectedGrantLocation } from "./unexpectedGrantLocation";

export const detections: readonly Detection[] = [
  tapIssued,
  tapDeleted,
  tapPolicyChanged,
  tapIssuedOutOfProcess,
  tapIssuedToPrivilegedAccount,
  multiUseTapIssued,
  tapSignIn,
  repeatedFailedTapSignIns,
  accessAfterGrantWindow,
  privilegedOperationByTemporaryUser,
  unexpectedGrantLocation,
  tapBootstrapFailed,
];

export const detectionKeys = detections.map((d) => d.key);
export type {
  Detection,
  DetectionContext,
  GrantLocations,
  MonitoredGrant,
  PrivilegedOperations,
  Severity,
} from "./detection";
export type { WorkspaceFunction } from "./grantFunctions";
export { detectionTag, detectionVersionTag, mitreTechniques } from "./detection";
export { grantFunctions } from "./grantFunctions";
export { kqlString, kqlStringList } from "./kql";
export { defaultPrivilegedOperations } from "./privilegedOperationByTemporaryUser";
