// Microsoft Graph's rules for the azuread resources, from the provider's schema and Graph's documentation.
import { guid, integer, items, nonEmptyText, oneOf, textLength, type TypeRules } from "../armChecks";
import { azuread, listOf, objectOf, repeated } from "./common";

// azuread resources: the provider's schema (it checks some at plan time, Microsoft Graph the rest at apply).
const graphGroup =
  'https://learn.microsoft.com/en-us/graph/api/resources/group (displayName: "Maximum length is 256 characters")';
export const group: TypeRules = {
  api: "azuread 6.9.1 azuread.Group (Microsoft Graph groups)",
  fields: [
    {
      path: "displayName",
      required: true,
      check: textLength(1, 256),
      source: `${azuread("group.d.ts")} (required); ${graphGroup}`,
    },
    {
      path: "owners[]",
      check: guid,
      source: `${azuread("group.d.ts")} (owners: "A set of object IDs of principals")`,
    },
    { path: "types[]", check: oneOf(["DynamicMembership", "Unified"]), source: azuread("group.d.ts") },
    {
      path: "visibility",
      check: oneOf(["Private", "Public", "Hiddenmembership"]),
      source: azuread("group.d.ts"),
    },
    {
      path: "theme",
      check: oneOf(["Blue", "Green", "Orange", "Pink", "Purple", "Red", "Teal"]),
      source: azuread("group.d.ts"),
    },
    {
      path: "mailNickname",
      check: textLength(1, 64),
      source:
        'https://learn.microsoft.com/en-us/graph/api/resources/group (mailNickname: "Maximum length is 64 characters")',
    },
  ],
  resource: [
    {
      rule: "security-enabled or mail-enabled, at least one",
      source: `${azuread("group.d.ts")} ("At least one of mailEnabled or securityEnabled must be specified")`,
      problems: (inputs) =>
        inputs.securityEnabled === true || inputs.mailEnabled === true
          ? []
          : ["neither securityEnabled nor mailEnabled"],
    },
    {
      rule: "a mail-enabled group is a Microsoft 365 group (types Unified) with a mailNickname",
      source: `${azuread("group.d.ts")} (mailEnabled: "Only Microsoft 365 groups can be mail enabled"; mailNickname: "Required for mail-enabled groups"; types: "Required when mailEnabled is true")`,
      problems: (inputs) =>
        inputs.mailEnabled !== true
          ? []
          : [
              ...(listOf(inputs.types).includes("Unified") ? [] : ["mailEnabled without types Unified"]),
              ...(inputs.mailNickname === undefined ? ["mailEnabled without mailNickname"] : []),
            ],
    },
    {
      rule: "assignableToRole only on a security-enabled group",
      source: `${azuread("group.d.ts")} (assignableToRole: "Can only be set to true for security-enabled groups")`,
      problems: (inputs) =>
        inputs.assignableToRole === true && inputs.securityEnabled !== true
          ? ["assignableToRole on a group that is not security-enabled"]
          : [],
    },
    {
      rule: "dynamicMembership only with types DynamicMembership, and not with members",
      source: `${azuread("group.d.ts")} (dynamicMembership: "Required when types contains DynamicMembership. Cannot be used with the members property")`,
      problems: (inputs) => {
        const dynamic = listOf(inputs.types).includes("DynamicMembership");
        return [
          ...(dynamic !== (inputs.dynamicMembership !== undefined)
            ? ["dynamicMembership and types DynamicMembership go together"]
            : []),
          ...(inputs.dynamicMembership !== undefined && inputs.members !== undefined
            ? ["dynamicMembership with members"]
            : []),
        ];
      },
    },
  ],
  undocumented: ["description: no length limit in Microsoft Graph's group resource or the provider's schema"],
};

export const groupMember: TypeRules = {
  api: "azuread 6.9.1 azuread.GroupMember",
  fields: [
    // Object ids from other resources and invokes: mock placeholders here; only present is checked.
    {
      path: "groupObjectId",
      required: true,
      check: nonEmptyText,
      source: `${azuread("groupMember.d.ts")} (required groupObjectId)`,
    },
    {
      path: "memberObjectId",
      required: true,
      check: nonEmptyText,
      source: `${azuread("groupMember.d.ts")} (required memberObjectId)`,
    },
  ],
  undocumented: [],
};

const caPolicy = azuread("conditionalAccessPolicy.d.ts and types/input.d.ts");
export const conditionalAccessPolicy: TypeRules = {
  api: "azuread 6.9.1 azuread.ConditionalAccessPolicy (Microsoft Graph conditionalAccessPolicy)",
  fields: [
    {
      path: "displayName",
      required: true,
      check: nonEmptyText,
      source: `${caPolicy} (required displayName)`,
    },
    {
      path: "state",
      required: true,
      check: oneOf(["enabled", "disabled", "enabledForReportingButNotEnforced"]),
      source: `${caPolicy} (state)`,
    },
    {
      path: "conditions.clientAppTypes",
      required: true,
      check: items(1, 6),
      source: `${caPolicy} (required clientAppTypes)`,
    },
    {
      path: "conditions.clientAppTypes[]",
      check: oneOf([
        "all",
        "browser",
        "mobileAppsAndDesktopClients",
        "exchangeActiveSync",
        "easSupported",
        "other",
      ]),
      source: `${caPolicy} (clientAppTypes)`,
    },
    {
      path: "conditions.applications.includedUserActions[]",
      check: oneOf(["urn:user:registerdevice", "urn:user:registersecurityinfo"]),
      source: `${caPolicy} (includedUserActions)`,
    },
    { path: "conditions.users.excludedGroups[]", check: nonEmptyText, source: caPolicy },
    { path: "conditions.users.includedGroups[]", check: nonEmptyText, source: caPolicy },
    {
      path: "grantControls.operator",
      check: oneOf(["AND", "OR"]),
      source: `${caPolicy} (grantControls.operator)`,
    },
    {
      path: "grantControls.builtInControls[]",
      check: oneOf([
        "block",
        "mfa",
        "approvedApplication",
        "compliantApplication",
        "compliantDevice",
        "domainJoinedDevice",
        "passwordChange",
        "unknownFutureValue",
      ]),
      source: `${caPolicy} (builtInControls)`,
    },
    {
      path: "sessionControls.signInFrequency",
      check: integer,
      source: `${caPolicy}; https://learn.microsoft.com/en-us/graph/api/resources/signinfrequencysessioncontrol (value: Int32, "The number of days or hours")`,
    },
    {
      path: "sessionControls.signInFrequencyPeriod",
      check: oneOf(["hours", "days"]),
      source: `${caPolicy} (signInFrequencyPeriod)`,
    },
    {
      path: "sessionControls.signInFrequencyAuthenticationType",
      check: oneOf(["primaryAndSecondaryAuthentication", "secondaryAuthentication"]),
      source: `${caPolicy} (signInFrequencyAuthenticationType)`,
    },
    {
      path: "sessionControls.signInFrequencyInterval",
      check: oneOf(["timeBased", "everyTime"]),
      source: `${caPolicy} (signInFrequencyInterval)`,
    },
    {
      path: "sessionControls.persistentBrowserMode",
      check: oneOf(["always", "never"]),
      source: `${caPolicy} (persistentBrowserMode)`,
    },
  ],
  resource: [
    {
      rule: "grantControls or sessionControls, at least one",
      source: `${caPolicy} ("At least one of grantControls and/or sessionControls blocks must be specified")`,
      problems: (inputs) =>
        inputs.grantControls === undefined && inputs.sessionControls === undefined
          ? ["neither grantControls nor sessionControls"]
          : [],
    },
    {
      rule: "applications: includedApplications or includedUserActions, exactly one",
      source: `${caPolicy} (includedApplications: "Cannot be specified with includedUserActions. One of includedApplications or includedUserActions must be specified")`,
      problems: (inputs) => {
        const applications = objectOf(objectOf(inputs.conditions).applications);
        const both = [applications.includedApplications, applications.includedUserActions].filter(
          (v) => v !== undefined,
        );
        return both.length === 1
          ? []
          : [`conditions.applications: ${both.length} of includedApplications and includedUserActions`];
      },
    },
    {
      rule: "users: at least one of includedGroups, includedGuestsOrExternalUsers, includedRoles, includedUsers",
      source: `${caPolicy} (includedUsers: "At least one of includedGroups, includedGuestsOrExternalUsers, includedRoles or includedUsers must be specified")`,
      problems: (inputs) => {
        const users = objectOf(objectOf(inputs.conditions).users);
        return ["includedGroups", "includedGuestsOrExternalUsers", "includedRoles", "includedUsers"].some(
          (key) => listOf(users[key]).length > 0,
        )
          ? []
          : ["conditions.users includes no one"];
      },
    },
    {
      rule: "grantControls: at least one of authenticationStrengthPolicyId, builtInControls, termsOfUses",
      source: `${caPolicy} (termsOfUses: "At least one of authenticationStrengthPolicyId, builtInControls or termsOfUse must be specified")`,
      problems: (inputs) => {
        if (inputs.grantControls === undefined) return [];
        const grant = objectOf(inputs.grantControls);
        return grant.authenticationStrengthPolicyId !== undefined ||
          listOf(grant.builtInControls).length > 0 ||
          listOf(grant.termsOfUses).length > 0
          ? []
          : ["grantControls requires nothing"];
      },
    },
    {
      rule: "signInFrequency and signInFrequencyPeriod together",
      source: `${caPolicy} (signInFrequency and signInFrequencyPeriod: "Required when signInFrequencyPeriod is specified")`,
      problems: (inputs) => {
        const session = objectOf(inputs.sessionControls);
        return (session.signInFrequency === undefined) === (session.signInFrequencyPeriod === undefined)
          ? []
          : ["sessionControls: signInFrequency without signInFrequencyPeriod, or the other way round"];
      },
    },
  ],
  undocumented: [
    "displayName: no length limit in Microsoft Graph's conditionalAccessPolicy resource or the provider's schema",
    'sessionControls.signInFrequency: no range in Microsoft Graph (Int32, "The number of days or hours")',
  ],
};

/** The provider's example "with all possible combinations" (node_modules/@pulumi/azuread/authenticationStrengthPolicy.d.ts). */
const strengthCombinations = [
  "fido2",
  "password",
  "deviceBasedPush",
  "temporaryAccessPassOneTime",
  "federatedMultiFactor",
  "federatedSingleFactor",
  "hardwareOath,federatedSingleFactor",
  "microsoftAuthenticatorPush,federatedSingleFactor",
  "password,hardwareOath",
  "password,microsoftAuthenticatorPush",
  "password,sms",
  "password,softwareOath",
  "password,voice",
  "sms",
  "sms,federatedSingleFactor",
  "softwareOath,federatedSingleFactor",
  "temporaryAccessPassMultiUse",
  "voice,federatedSingleFactor",
  "windowsHelloForBusiness",
  "x509CertificateMultiFactor",
  "x509CertificateSingleFactor",
];
export const authenticationStrengthPolicy: TypeRules = {
  api: "azuread 6.9.1 azuread.AuthenticationStrengthPolicy (Microsoft Graph authenticationStrengthPolicy)",
  fields: [
    {
      path: "displayName",
      required: true,
      check: nonEmptyText,
      source: `${azuread("authenticationStrengthPolicy.d.ts")} (required displayName)`,
    },
    {
      path: "allowedCombinations",
      required: true,
      check: items(1, strengthCombinations.length),
      source: `${azuread("authenticationStrengthPolicy.d.ts")} (required allowedCombinations)`,
    },
    {
      path: "allowedCombinations[]",
      check: oneOf(strengthCombinations),
      source: `${azuread("authenticationStrengthPolicy.d.ts")} (example "with all possible combinations"); https://learn.microsoft.com/en-us/graph/api/resources/authenticationstrengthpolicy (allowedCombinations: authenticationMethodModes)`,
    },
  ],
  resource: [
    {
      rule: "each combination once",
      source: azuread("authenticationStrengthPolicy.d.ts"),
      problems: (inputs) => repeated("combination", listOf(inputs.allowedCombinations)),
    },
  ],
  undocumented: [
    "displayName and description: no length limit in Microsoft Graph's authenticationStrengthPolicy resource or the provider's schema",
  ],
};
