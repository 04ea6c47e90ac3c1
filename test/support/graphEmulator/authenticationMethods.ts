// A user's authentication methods as Graph lists them (`GET /users/{id}/authentication/methods`): the password, each
// registered method with its `@odata.type` and `createdDateTime`, and the Temporary Access Pass with its own fields
// (never its passcode). Tests register methods with registerMethod, which the audit log records as Entra does.
import { randomUUID } from "node:crypto";
import { recordAudit } from "./auditLogs";
import { requireUser } from "./directory";
import { type CapturedAnswer, type EmulatedRequest, GraphHttpError, jsonAnswer } from "./http";
import type { EmulatedMethod, EmulatedTenant } from "./model";
import { passView } from "./userPasses";

/** The methods a test can register, by Graph's type, with the wording the audit log gives their registration. */
const registrableMethods = {
  fido2: {
    odataType: "#microsoft.graph.fido2AuthenticationMethod",
    audit: "User registered Fido2 Authentication Method",
  },
  windowsHello: {
    odataType: "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    audit: "User registered Windows Hello for Business",
  },
  authenticatorPush: {
    odataType: "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
    audit: "User registered Authenticator App with Notification and Code",
  },
  phone: {
    odataType: "#microsoft.graph.phoneAuthenticationMethod",
    audit: "User registered Mobile Phone SMS",
  },
} as const;
export type RegistrableMethod = keyof typeof registrableMethods;

/** The user registers a method at `at` (default: now), as they would with their pass at My Security Info. */
export function registerMethod(
  tenant: EmulatedTenant,
  userId: string,
  kind: RegistrableMethod,
  at: number = tenant.now(),
): EmulatedMethod {
  const user = requireUser(tenant, userId);
  const method: EmulatedMethod = {
    id: randomUUID(),
    odataType: registrableMethods[kind].odataType,
    createdDateTime: new Date(at).toISOString(),
    displayName: kind,
  };
  user.methods.push(method);
  recordAudit(tenant, {
    at,
    activityDisplayName: "User registered security info",
    resultReason: registrableMethods[kind].audit,
    initiatedBy: { user: { id: user.id, userPrincipalName: user.userPrincipalName } },
    target: user,
  });
  return method;
}

/** The answer to `GET /users/{id}/authentication/methods`, or undefined for another path. */
export function route(tenant: EmulatedTenant, request: EmulatedRequest): CapturedAnswer | undefined {
  const match = /^\/v1\.0\/users\/([^/]+)\/authentication\/methods$/.exec(request.path);
  if (!match) return undefined;
  if (request.method !== "GET") {
    throw new GraphHttpError(405, "Request_BadRequest", `Method ${request.method} is not allowed here.`);
  }
  const user = requireUser(tenant, match[1]);
  return jsonAnswer(200, {
    value: [
      {
        "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
        id: "28c10230-6103-485e-b985-444c60001490",
        password: null,
        createdDateTime: null,
      },
      ...user.methods.map((m) => ({
        "@odata.type": m.odataType,
        id: m.id,
        displayName: m.displayName,
        createdDateTime: m.createdDateTime,
      })),
      ...(user.tap
        ? [
            {
              "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
              ...(tenant.methodsListOmitsPassFields
                ? { id: user.tap.id }
                : passView(tenant, user.tap, false)),
            },
          ]
        : []),
    ],
  });
}
