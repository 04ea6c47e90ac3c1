// The policy pack is packaged on its own, so it keeps its own copies of a few facts; they must equal the
// components' (a pack that disagreed with the program would pass what the program refuses, or the reverse).
import {
  detectionKeys as componentsDetectionKeys,
  detectionTag as componentsDetectionTag,
} from "../../components/detections";
import { tapLimits } from "../../components/tapPolicySettings";
import { detectionKeys, detectionTag, microsoftLimits } from "../../policies/lib";
import { requiredDetections } from "../../policies/rules/auditTrail";

describe("the pack's own copies of the components' facts", () => {
  it("has Microsoft's limits as the components have them", () => {
    expect(microsoftLimits).toEqual(tapLimits);
  });

  it("looks for the detection tag the alert rules carry", () => {
    expect(detectionTag).toBe(componentsDetectionTag);
  });

  it("knows every detection the components declare and no other, its default required ones among them", () => {
    expect([...detectionKeys]).toEqual(componentsDetectionKeys);
    expect(detectionKeys).toEqual(expect.arrayContaining(requiredDetections));
  });
});
