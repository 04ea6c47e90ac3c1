// The engine suite's program: the TAP policy (targets by id), one grant per entry of the stack's config, and PIM for
// Groups memberships. Each grant is shaped as entra-tap's own program shapes it: a component of the type
// components/temporaryAccessGrant.ts registers, its pass a child issued after the policy (the workflows split
// `pulumi up` on that type). Grants are judged by the clock, as in entra-tap's program: one whose expiry has passed
// ends its pass. The clock is the stack's `entra-tap-engine:now` when set (an ISO 8601 time: a test moves it with the
// emulator's, rather than wait), the real one otherwise. Every pass is sealed to `entra-tap-engine:sealTo` (a list of
// recipients) when set, else to a placeholder key nobody holds. The real TemporaryAccessGrant also declares an azuread
// membership, whose plugin the suite cannot have.
import * as pulumi from "@pulumi/pulumi";
import { PimGroupMembership, UserTemporaryAccessPass } from "../../../components/graphResources";
import { temporaryAccessGrantType } from "../../../components/providerInputs";
import type { HandoverRecipient } from "../../../components/handover";
import { warnOfRegistrationPath } from "../../../components/registrationWarnings";
import { TemporaryAccessPassPolicy } from "../../../components/temporaryAccessPassPolicy";
import { approverRecipientKeys } from "../../support/fixtures";

interface EngineGrant {
  name: string;
  user: string;
  start: string;
  expiry: string;
  lifetimeInMinutes: number;
  ticket: string;
  reissue?: number;
}

interface EngineMembership {
  name: string;
  groupId: string;
  principalId: string;
  endDateTime: string;
}

const config = new pulumi.Config("entra-tap-engine");
const configuredNow = config.get("now");
if (configuredNow !== undefined && Number.isNaN(Date.parse(configuredNow))) {
  throw new Error(`entra-tap-engine:now: ${JSON.stringify(configuredNow)} is not an ISO 8601 time`);
}
const sealTo = config.getObject<HandoverRecipient[]>("sealTo") ?? [
  { name: "approver@contoso.example", key: approverRecipientKeys["tom.becker@contoso.com"] },
];
/** The program's clock: the configured time, or the real one. */
const now = configuredNow === undefined ? Date.now() : Date.parse(configuredNow);
const policy = new TemporaryAccessPassPolicy("tap-policy", {
  ...config.requireObject<Record<string, unknown>>("policy"),
  includeTargets: config.requireObject("includeTargets"),
  excludeTargets: config.requireObject("excludeTargets"),
  cloud: "global",
});

class Grant extends pulumi.ComponentResource {
  readonly pass: UserTemporaryAccessPass;

  constructor(grant: EngineGrant, policy: pulumi.Resource) {
    super(temporaryAccessGrantType, grant.name, {}, {});
    const pass = new UserTemporaryAccessPass(
      `${grant.name}-tap`,
      {
        user: grant.user,
        startDateTime: grant.start,
        lifetimeInMinutes: grant.lifetimeInMinutes,
        isUsableOnce: true,
        grantExpiry: grant.expiry,
        grantEnded: Date.parse(grant.expiry) <= now,
        reissue: grant.reissue ?? 0,
        scopeRetrySeconds: 5,
        justification: {
          reason: "engine suite",
          ticket: grant.ticket,
          requestedBy: "requester@contoso.example",
          approvedBy: "approver@contoso.example",
        },
        sealTo,
      },
      { parent: this, dependsOn: [policy] },
    );
    this.pass = pass;
    warnOfRegistrationPath(grant.name, pass);
    this.registerOutputs({ status: pass.status });
  }
}

const declaredGrants = config.getObject<EngineGrant[]>("grants") ?? [];
const grants = declaredGrants.map((grant) => new Grant(grant, policy));

// PIM for Groups memberships, declared only until their end, as a grant declares them.
for (const membership of config.getObject<EngineMembership[]>("pimMemberships") ?? []) {
  if (Date.parse(membership.endDateTime) <= now) continue;
  new PimGroupMembership(`${membership.name}-pim-membership`, {
    groupId: membership.groupId,
    principalId: membership.principalId,
    endDateTime: membership.endDateTime,
    justification: {
      reason: "engine suite",
      ticket: "CHG-1001",
      requestedBy: "requester@contoso.example",
      approvedBy: "approver@contoso.example",
    },
  });
}

export const tapPolicyState = policy.state;
/** As entra-tap's program writes it (index.ts), which `npm run handover` reads. */
export const grantPasses = Object.fromEntries(
  declaredGrants.map((grant, index) => {
    const { pass } = grants[index];
    return [
      grant.name,
      {
        status: pass.status,
        user: grant.user,
        isUsableOnce: true,
        startDateTime: pass.passStartDateTime,
        endDateTime: pass.passEndDateTime,
        sealedTo: pass.sealedTo.apply((recipients) => (recipients ?? []).map((recipient) => recipient.name)),
        sealedPasscode: pass.sealedPasscode,
      },
    ];
  }),
);
