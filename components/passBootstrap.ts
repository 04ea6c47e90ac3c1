// What a pass is for, and how to tell that it did its job: a grant's purpose, the phishing-resistant methods a
// bootstrap is meant to leave behind (as Graph types them and as the audit log words their registration), and the
// time a bootstrap is given. The review, the detections and the config all read them here.

/**
 * Why a grant's pass exists. The two onboarding purposes expect a phishing-resistant method to be registered soon after
 * the pass is used; the others (a device set up, a support session) do not.
 */
export const grantPurposes = [
  "passkey-onboarding",
  "windows-hello-onboarding",
  "device-setup",
  "support",
] as const;
export type GrantPurpose = (typeof grantPurposes)[number];

/** The purposes whose pass is meant to end in a phishing-resistant method. */
export const onboardingPurposes: readonly GrantPurpose[] = ["passkey-onboarding", "windows-hello-onboarding"];

export function isOnboardingPurpose(purpose: GrantPurpose | undefined): boolean {
  return purpose !== undefined && onboardingPurposes.includes(purpose);
}

/**
 * Graph's phishing-resistant methods (`/users/{id}/authentication/methods`, by `@odata.type`), with the name the review
 * shows: FIDO2 security keys and passkeys (a passkey in Microsoft Authenticator is a fido2AuthenticationMethod too),
 * Windows Hello for Business, and macOS Platform SSO's platform credential. Each carries `createdDateTime`.
 */
const phishingResistantMethodTypes: Readonly<Record<string, string>> = {
  "#microsoft.graph.fido2AuthenticationMethod": "passkey (FIDO2)",
  "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod": "Windows Hello for Business",
  "#microsoft.graph.platformCredentialAuthenticationMethod": "platform credential (macOS)",
};

export function phishingResistantMethodName(odataType: string | undefined): string | undefined {
  return odataType === undefined ? undefined : phishingResistantMethodTypes[odataType];
}

/**
 * How the audit log words a user's own registration of a phishing-resistant method: OperationName "User registered
 * security info" and a reason naming the method. The reason's wording per method is not documented (seen: "User
 * registered Fido2 Authentication Method", "User registered Windows Hello for Business"), so the detection matches the
 * terms below with `has_any` (whole terms: "Fido2", not "Fido"), which is broad: if it turns out too narrow, failed bootstraps are over-reported (loud), not
 * missed. docs/monitoring.md says where to look.
 */
export const registrationAuditOperation = "User registered security info";
export const phishingResistantRegistrationWords = [
  "Fido2",
  "FIDO",
  "passkey",
  "Windows Hello",
  "PlatformCredential",
  "platform credential",
] as const;

/** How long after a pass is used its bootstrap is given to register a phishing-resistant method, by default. */
export const defaultRegistrationWithinMinutes = 60;
/** The bounds of entra-tap:bootstrap.registrationWithinMinutes: the detection looks back a day at most. */
export const registrationWithinMinutesRange = { min: 10, max: 720 } as const;
