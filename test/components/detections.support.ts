// What the detection tests share: a context as the config fills it in.
import { type DetectionContext } from "../../components/detections";

export const context: DetectionContext = {
  deploymentIdentityIds: ["5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"],
  privilegedObjectIds: ["0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f"],
  privilegedUserPrincipalNames: ["Global.Admin@contoso.com"],
  targetGroups: ["3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "TAP - Contractors"],
  privilegedOperations: {
    azure: ["Microsoft.Authorization/roleAssignments/write"],
    directory: ["Add member to role"],
  },
  knownIssuerIds: ["ce79fdc4-cd1d-4ea5-8139-e74d7dbe0bb7", "0a4b6c8d-2e1f-4a3b-8c5d-7e9f1a2b3c4d"],
  registrationWithinMinutes: 60,
};
