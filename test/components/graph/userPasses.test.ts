// A user's passes in Graph: what entra-tap recognises of Graph's refusals, and a pass's end.
import { isNotInScopeRefusal, passEndDateTime } from "../../../components/graph/userPasses";

/** A GraphRequestError's shape, for the recogniser. */
function graphError(status: number, graphMessage: string) {
  return Object.assign(new Error("failed"), {
    name: "GraphRequestError",
    operation: "Issue",
    status,
    code: "badRequest",
    graphMessage,
    requestId: undefined,
    outcomeUnknown: false,
  });
}

describe("isNotInScopeRefusal", () => {
  it("recognises the scope refusal by its wording, which this test pins, on any 4xx but throttling", () => {
    const wording =
      "Converged UserCredentialPolicy does not allow creating or updating this authentication method.";
    for (const status of [400, 403, 409, 422]) {
      expect(isNotInScopeRefusal(graphError(status, wording))).toBe(true);
    }
    // Throttling is the client's to wait out; a 5xx or no answer is not a refusal.
    for (const status of [429, 500, 503, undefined]) {
      expect(isNotInScopeRefusal(graphError(status as number, wording))).toBe(false);
    }
    expect(isNotInScopeRefusal(graphError(403, "Insufficient privileges to complete the operation."))).toBe(
      false,
    );
  });
});

describe("passEndDateTime", () => {
  it("is the start plus the lifetime (Graph gives no end of its own)", () => {
    expect(passEndDateTime({ startDateTime: "2026-03-01T08:00:00Z", lifetimeInMinutes: 90 })).toBe(
      "2026-03-01T09:30:00.000Z",
    );
  });
});
