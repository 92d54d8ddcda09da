/** A record's classification banner and 3x5x2 grading, with what each code means. */
import { ASSESSMENT, classificationLabel, HANDLING, SOURCE } from "../domain/markings";
import type { Classification, GradingFieldsFragment } from "../gql/graphql";
import { testIds } from "../testids";

export function ClassificationBanner({ classification, covert }: { classification: Classification; covert?: boolean }) {
  return (
    <div className={`banner banner-${classification.toLowerCase()}`} data-testid={testIds.classificationBanner} data-classification={classification}>
      {classificationLabel(classification)}
      {covert && " · COVERT"}
    </div>
  );
}

export function ClassificationTag({ classification }: { classification: Classification }) {
  return <span className={`tag banner-${classification.toLowerCase()}`}>{classificationLabel(classification)}</span>;
}

export function GradingView({ grading, detailed = false }: { grading: GradingFieldsFragment; detailed?: boolean }) {
  const source = SOURCE[grading.source];
  const meaning = `${source.code}: ${source.meaning}; ${grading.assessment}: ${ASSESSMENT[grading.assessment]}; ${grading.handling}: ${HANDLING[grading.handling]}`;
  return (
    <span className="grading">
      <abbr data-testid={testIds.grading} title={meaning}>
        {source.code} / {grading.assessment} / {grading.handling}
      </abbr>
      {detailed && (
        <dl className="grading-meaning">
          <dt>Source {source.code}</dt>
          <dd>{source.meaning}</dd>
          <dt>Intelligence {grading.assessment}</dt>
          <dd>{ASSESSMENT[grading.assessment]}</dd>
          <dt>Handling {grading.handling}</dt>
          <dd>
            {HANDLING[grading.handling]}
            {grading.handling === "C" && (
              <>
                : {grading.conditions ?? "conditions not given"}
                {grading.conditionsOrgs.length > 0 && ` (may go to ${grading.conditionsOrgs.join(", ")})`}
              </>
            )}
          </dd>
        </dl>
      )}
    </span>
  );
}
