/** Joint-monitoring agreements: who shares which records up to which classification; policy admins change them. */
import { useState } from "react";
import { Link, useParams } from "react-router";
import { usePagedQuery } from "../api/hooks";
import { classificationLabel } from "../domain/markings";
import { agreementPath } from "../domain/paths";
import { mayManageAgreements } from "../domain/roles";
import { graphql } from "../gql";
import type { AgreementStatus } from "../gql/graphql";
import { usePrincipal } from "../session/session";
import { testIds } from "../testids";
import { formatDate, formatDateTime } from "../ui/format";
import { Empty, ErrorState, ListStates, LoadMore, Loading } from "../ui/states";
import { AgreementFormDialog, StatusChangeDialog, type Agreement, type StatusChange } from "./agreement-forms";

const Agreements = graphql(`
  query Agreements($status: AgreementStatus, $after: String) {
    orgs {
      code
    }
    agreements(first: 20, after: $after, status: $status) {
      nodes {
        id
        name
        members
        kinds
        maxClassification
        status
        validFrom
        validTo
        version
        updatedAt
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`);

const AgreementHistory = graphql(`
  query AgreementHistory($id: ID!, $after: String) {
    agreement(id: $id) {
      id
      name
      status
      version
      history(first: 20, after: $after) {
        nodes {
          version
          change
          reason
          changedBy
          changedAt
          members
          kinds
          maxClassification
          status
          validFrom
          validTo
        }
        pageInfo {
          ...PageInfoFields
        }
      }
    }
  }
`);

type Editing = { kind: "create" } | { kind: "amend"; agreement: Agreement } | { kind: StatusChange; agreement: Agreement } | null;

const CHANGES_BY_STATUS: Record<AgreementStatus, StatusChange[]> = {
  ACTIVE: ["suspend", "revoke"],
  SUSPENDED: ["reinstate", "revoke"],
  REVOKED: [],
};

const CHANGE_BUTTONS: Record<StatusChange, { label: string; testId: string }> = {
  suspend: { label: "Suspend", testId: testIds.suspendButton },
  reinstate: { label: "Reinstate", testId: testIds.reinstateButton },
  revoke: { label: "Revoke", testId: testIds.revokeButton },
};

export function AgreementsPage() {
  const principal = usePrincipal();
  const manages = mayManageAgreements(principal);
  const [status, setStatus] = useState<AgreementStatus | "">("");
  const [editing, setEditing] = useState<Editing>(null);
  const result = usePagedQuery(Agreements, { status: status || null }, (d) => d.agreements);
  const orgs = result.data?.orgs.map((o) => o.code) ?? [];
  const done = () => {
    setEditing(null);
    result.reload();
  };

  return (
    <section>
      <h1>Agreements</h1>
      <div className="row">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as AgreementStatus | "")}>
            <option value="">All</option>
            <option value="ACTIVE">Active</option>
            <option value="SUSPENDED">Suspended</option>
            <option value="REVOKED">Revoked</option>
          </select>
        </label>
        {manages && (
          <button type="button" data-testid={testIds.createAgreement} onClick={() => setEditing({ kind: "create" })} disabled={orgs.length === 0}>
            New agreement
          </button>
        )}
      </div>
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No agreements.">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Members</th>
              <th>Shares</th>
              <th>Valid</th>
              <th>Status</th>
              {manages && <th>Change</th>}
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((a) => (
              <tr key={a.id} data-testid={testIds.agreement} data-id={a.id} data-name={a.name} data-status={a.status}>
                <td>
                  <Link to={agreementPath(a.id)}>{a.name}</Link>
                  <div className="muted">version {a.version}</div>
                </td>
                <td>{a.members.join(", ")}</td>
                <td>
                  {a.kinds.join(", ")} up to {classificationLabel(a.maxClassification)}
                </td>
                <td>
                  {formatDate(a.validFrom)} – {a.validTo ? formatDate(a.validTo) : "open-ended"}
                </td>
                <td>{a.status}</td>
                {manages && (
                  <td className="row">
                    {a.status !== "REVOKED" && (
                      <button type="button" data-testid={testIds.amendButton} onClick={() => setEditing({ kind: "amend", agreement: a })}>
                        Amend
                      </button>
                    )}
                    {CHANGES_BY_STATUS[a.status].map((change) => (
                      <button key={change} type="button" data-testid={CHANGE_BUTTONS[change].testId} onClick={() => setEditing({ kind: change, agreement: a })}>
                        {CHANGE_BUTTONS[change].label}
                      </button>
                    ))}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        <LoadMore list={result} />
      </ListStates>
      {editing?.kind === "create" && <AgreementFormDialog orgs={orgs} onDone={done} />}
      {editing?.kind === "amend" && <AgreementFormDialog agreement={editing.agreement} orgs={orgs} onDone={done} />}
      {editing && editing.kind !== "create" && editing.kind !== "amend" && (
        <StatusChangeDialog change={editing.kind} agreement={editing.agreement} onDone={done} />
      )}
    </section>
  );
}

export function AgreementHistoryPage() {
  const id = useParams().id!;
  const result = usePagedQuery(AgreementHistory, { id }, (d) => d.agreement?.history);
  if (result.error) return <ErrorState error={result.error} />;
  if (result.loading) return <Loading />;
  const agreement = result.data?.agreement;
  if (!agreement) return <Empty>No agreement {id} is visible to you.</Empty>;
  return (
    <section>
      <h1>
        {agreement.name}{" "}
        <span className="muted">
          ({agreement.status}, version {agreement.version})
        </span>
      </h1>
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No history.">
        <table>
          <thead>
            <tr>
              <th>Version</th>
              <th>Change</th>
              <th>By</th>
              <th>Reason</th>
              <th>Then</th>
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td>{v.change}</td>
                <td>
                  {v.changedBy}, {formatDateTime(v.changedAt)}
                </td>
                <td>{v.reason ?? "—"}</td>
                <td>
                  {v.status}: {v.members.join(", ")}; {v.kinds.join(", ")} up to {classificationLabel(v.maxClassification)}; {formatDate(v.validFrom)} –{" "}
                  {v.validTo ? formatDate(v.validTo) : "open-ended"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <LoadMore list={result} />
      </ListStates>
    </section>
  );
}
