// `entra-tap:bootstrap`: how long a pass of an onboarding grant (purpose passkey-onboarding or
// windows-hello-onboarding) is given, once used, to leave a phishing-resistant method behind before the review and the
// detection call its bootstrap failed.
import {
  defaultRegistrationWithinMinutes,
  registrationWithinMinutesRange,
} from "../components/passBootstrap";
import { integerInRange, strictObject } from "../components/validation";

export function bootstrapConfigSchema() {
  const { min, max } = registrationWithinMinutesRange;
  return strictObject({
    registrationWithinMinutes: integerInRange(min, max).default(defaultRegistrationWithinMinutes),
  }).default(() => ({ registrationWithinMinutes: defaultRegistrationWithinMinutes }));
}
