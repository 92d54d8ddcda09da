/** What every record page shows first: its marking, grading, owner, review date and the caller's access. */
import type { ReactNode } from "react";
import { formatDate, formatDateTime } from "../ui/format";
import type { AccessLevel, Classification, GradingFieldsFragment } from "../gql/graphql";
import { ClassificationBanner, GradingView } from "../ui/record-markings";

export interface RecordBasics {
  id: string;
  owner: string;
  classification: Classification;
  covert: boolean;
  reviewDue?: string | null;
  reviewOverdue: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  grading: GradingFieldsFragment;
  access: { level: AccessLevel; reason: string };
}

export function RecordHeader({ record, title }: { record: RecordBasics; title: ReactNode }) {
  return (
    <>
      <ClassificationBanner classification={record.classification} covert={record.covert} />
      <h1>{title}</h1>
      <dl className="fields">
        <dt>Id</dt>
        <dd className="mono">{record.id}</dd>
        <dt>Owner</dt>
        <dd>{record.owner}</dd>
        <dt>Grading</dt>
        <dd>
          <GradingView grading={record.grading} detailed />
        </dd>
        <dt>Handling conditions</dt>
        <dd>{record.grading.handling === "C" ? (record.grading.conditions ?? "—") : "None (P: lawful sharing permitted)"}</dd>
        <dt>Review due</dt>
        <dd>
          {formatDate(record.reviewDue)}
          {record.reviewOverdue && <strong className="warning"> — past review: not shared until its owner reviews it</strong>}
        </dd>
        <dt>Your access</dt>
        <dd>
          {record.access.level} ({record.access.reason})
        </dd>
        <dt>Recorded</dt>
        <dd>
          {formatDateTime(record.createdAt)} by {record.createdBy}; updated {formatDateTime(record.updatedAt)}
        </dd>
      </dl>
    </>
  );
}
