/** Government Security Classifications and the College of Policing 3x5x2 grading, as shown to analysts. */
import type { Classification, HandlingCode, IntelligenceAssessment, SourceEvaluation } from "../gql/graphql";

/** Ascending, as the API orders them. */
export const CLASSIFICATIONS: readonly Classification[] = ["OFFICIAL", "OFFICIAL_SENSITIVE", "SECRET"];

export const classificationLabel = (c: Classification): string => c.replace("_", "-");

/** The highest of some classifications; OFFICIAL (everything the service holds is at least that) when there are none. */
export function highestClassification(markings: Iterable<Classification>): Classification {
  let highest = 0;
  for (const m of markings) highest = Math.max(highest, CLASSIFICATIONS.indexOf(m));
  return CLASSIFICATIONS[highest]!;
}

export const SOURCE: Record<SourceEvaluation, { code: string; meaning: string }> = {
  RELIABLE: { code: "1", meaning: "Reliable source" },
  UNTESTED: { code: "2", meaning: "Untested source" },
  NOT_RELIABLE: { code: "3", meaning: "Not reliable source" },
};

export const ASSESSMENT: Record<IntelligenceAssessment, string> = {
  A: "Known directly to the source",
  B: "Known indirectly to the source, corroborated",
  C: "Known indirectly to the source",
  D: "Not known",
  E: "Suspected to be false",
};

export const HANDLING: Record<HandlingCode, string> = {
  P: "Lawful sharing permitted",
  C: "Lawful sharing permitted with conditions",
};
