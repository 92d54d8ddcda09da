/**
 * Access requests: those your org made for POINTER hits, and (force admins) those made for your
 * org's records, to grant until a date (at most 90 days) or decline.
 */
import { useState } from "react";
import { usePagedQuery, useOperation } from "../api/hooks";
import { graphql } from "../gql";
import type { AccessRequestsQuery, AccessRequestStatus } from "../gql/graphql";
import { usePrincipal } from "../session/session";
import { testIds } from "../testids";
import { formatDate, formatDateTime } from "../ui/format";
import { ErrorState, ListStates, LoadMore } from "../ui/states";

const AccessRequests = graphql(`
  query AccessRequests($status: AccessRequestStatus, $after: String) {
    accessRequests(first: 20, after: $after, status: $status) {
      nodes {
        id
        recordId
        owner
        requesterOrg
        requesterSub
        purpose
        status
        createdAt
        decidedAt
        decidedBy
        note
        grantExpiresAt
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`);

const DecideAccessRequest = graphql(`
  mutation DecideAccessRequest($id: ID!, $decision: AccessDecision!, $expiresAt: DateTimeISO, $note: String) {
    decideAccessRequest(id: $id, decision: $decision, expiresAt: $expiresAt, note: $note) {
      id
      status
    }
  }
`);

type Request = AccessRequestsQuery["accessRequests"]["nodes"][number];

/** The API grants for at most 90 days. */
const MAX_GRANT_DAYS = 90;
const isoDate = (daysFromNow: number): string => new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);

export function RequestsPage() {
  const [status, setStatus] = useState<AccessRequestStatus | "">("");
  const result = usePagedQuery(AccessRequests, { status: status || null }, (d) => d.accessRequests);
  return (
    <section>
      <h1>Access requests</h1>
      <label>
        Status
        <select value={status} onChange={(e) => setStatus(e.target.value as AccessRequestStatus | "")}>
          <option value="">All</option>
          <option value="PENDING">Pending</option>
          <option value="GRANTED">Granted</option>
          <option value="DECLINED">Declined</option>
        </select>
      </label>
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No access requests.">
        <table>
          <thead>
            <tr>
              <th>Record</th>
              <th>Asked by</th>
              <th>Justification</th>
              <th>Status</th>
              <th>Decision</th>
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((r) => (
              <RequestRow key={r.id} request={r} onDecided={result.reload} />
            ))}
          </tbody>
        </table>
        <LoadMore list={result} />
      </ListStates>
    </section>
  );
}

function RequestRow({ request, onDecided }: { request: Request; onDecided(): void }) {
  const principal = usePrincipal();
  const decidable = request.status === "PENDING" && request.owner === principal.org && principal.roles.includes("FORCE_ADMIN");
  return (
    <tr data-testid={testIds.accessRequest} data-id={request.id} data-status={request.status}>
      <td className="mono">{request.recordId}</td>
      <td>
        {request.requesterOrg} ({request.requesterSub}), {formatDateTime(request.createdAt)}
      </td>
      <td>{request.purpose}</td>
      <td>
        {request.status}
        {request.grantExpiresAt && ` until ${formatDate(request.grantExpiresAt)}`}
      </td>
      <td>
        {decidable ? (
          <Decide id={request.id} onDecided={onDecided} />
        ) : request.decidedAt ? (
          `${formatDateTime(request.decidedAt)} by ${request.decidedBy ?? "—"}${request.note ? `: ${request.note}` : ""}`
        ) : (
          <span className="muted">Awaiting {request.owner}</span>
        )}
      </td>
    </tr>
  );
}

function Decide({ id, onDecided }: { id: string; onDecided(): void }) {
  const [expiry, setExpiry] = useState(isoDate(30));
  const [note, setNote] = useState("");
  const [decide, { running, error }] = useOperation(DecideAccessRequest);
  const run = async (decision: "GRANT" | "DECLINE") => {
    // The grant lasts to the end of the chosen day, local time.
    const expiresAt = decision === "GRANT" ? new Date(`${expiry}T23:59:59`).toISOString() : null;
    if (await decide({ id, decision, expiresAt, note: note.trim() || null })) onDecided();
  };
  return (
    <div className="stack">
      <label>
        Grant until
        <input
          type="date"
          data-testid={testIds.grantExpiry}
          value={expiry}
          min={isoDate(0)}
          max={isoDate(MAX_GRANT_DAYS)}
          onChange={(e) => setExpiry(e.target.value)}
        />
      </label>
      <label>
        Note (optional)
        <input value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="row">
        <button type="button" data-testid={testIds.grantButton} onClick={() => run("GRANT")} disabled={running || !expiry}>
          Grant
        </button>
        <button type="button" data-testid={testIds.declineButton} onClick={() => run("DECLINE")} disabled={running}>
          Decline
        </button>
      </div>
      {error && <ErrorState error={error} />}
    </div>
  );
}
