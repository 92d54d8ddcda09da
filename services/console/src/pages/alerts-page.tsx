/**
 * Deconfliction: your org's alerts (another org recorded or searched a selector you hold: call its
 * SPOC) and, for the CEOP desk, the alerts it brokers between two orgs.
 */
import { useState } from "react";
import { usePagedQuery, useOperation } from "../api/hooks";
import { isDesk } from "../domain/roles";
import { graphql } from "../gql";
import { usePrincipal } from "../session/session";
import { formatDateTime } from "../ui/format";
import { Spoc } from "../ui/spoc";
import { ErrorState, ListStates, LoadMore } from "../ui/states";

const DeconflictionAlerts = graphql(`
  query DeconflictionAlerts($acknowledged: Boolean, $after: String) {
    deconflictionAlerts(first: 20, after: $after, acknowledged: $acknowledged) {
      nodes {
        id
        trigger
        selector
        raisedAt
        lastAt
        occurrences
        yourRecordId
        counterpartOrg
        contact {
          ...SpocFields
        }
        advice
        acknowledgedAt
        acknowledgedBy
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`);

const AcknowledgeAlert = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    acknowledgeDeconflictionAlert(id: $id) {
      id
      acknowledgedAt
      acknowledgedBy
    }
  }
`);

const DeskAlerts = graphql(`
  query DeskAlerts($acknowledged: Boolean, $after: String) {
    deconflictionDeskAlerts(first: 20, after: $after, acknowledged: $acknowledged) {
      nodes {
        id
        trigger
        selector
        raisedAt
        lastAt
        occurrences
        holderOrg
        holderCovert
        holderContact {
          ...SpocFields
        }
        otherOrg
        otherCovert
        otherContact {
          ...SpocFields
        }
        partners
        holderAcknowledgedAt
        otherAcknowledgedAt
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`);

type Filter = "open" | "acknowledged" | "all";
const acknowledgedFor = (f: Filter): boolean | null => (f === "all" ? null : f === "acknowledged");

function FilterSelect({ value, onChange }: { value: Filter; onChange(f: Filter): void }) {
  return (
    <label>
      Show
      <select value={value} onChange={(e) => onChange(e.target.value as Filter)}>
        <option value="open">Not yet acknowledged</option>
        <option value="acknowledged">Acknowledged</option>
        <option value="all">All</option>
      </select>
    </label>
  );
}

export function AlertsPage() {
  const principal = usePrincipal();
  return (
    <section>
      <h1>Deconfliction</h1>
      <OrgAlerts />
      {isDesk(principal) && <DeskInbox />}
    </section>
  );
}

function OrgAlerts() {
  const [filter, setFilter] = useState<Filter>("open");
  const result = usePagedQuery(DeconflictionAlerts, { acknowledged: acknowledgedFor(filter) }, (d) => d.deconflictionAlerts);
  const [acknowledge, ack] = useOperation(AcknowledgeAlert);
  const onAcknowledge = async (id: string) => {
    if (await acknowledge({ id })) result.reload();
  };
  return (
    <section>
      <h2>Your org's alerts</h2>
      <FilterSelect value={filter} onChange={setFilter} />
      {ack.error && <ErrorState error={ack.error} />}
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No alerts.">
        <table>
          <thead>
            <tr>
              <th>Selector</th>
              <th>What happened</th>
              <th>Contact</th>
              <th>Advice</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((a) => (
              <tr key={a.id} data-id={a.id}>
                <td className="mono">{a.selector}</td>
                <td>
                  {a.counterpartOrg ?? "Another org (not named)"} {a.trigger === "RECORD" ? "recorded" : "searched"} it · {a.occurrences}× · last{" "}
                  {formatDateTime(a.lastAt)}
                  {a.yourRecordId && <div className="muted mono">your record {a.yourRecordId}</div>}
                </td>
                <td>
                  <Spoc contact={a.contact} />
                </td>
                <td>{a.advice}</td>
                <td>
                  {a.acknowledgedAt ? (
                    `Acknowledged ${formatDateTime(a.acknowledgedAt)} by ${a.acknowledgedBy ?? "—"}`
                  ) : (
                    <button type="button" onClick={() => onAcknowledge(a.id)} disabled={ack.running}>
                      Acknowledge
                    </button>
                  )}
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

function DeskInbox() {
  const [filter, setFilter] = useState<Filter>("open");
  const result = usePagedQuery(DeskAlerts, { acknowledged: acknowledgedFor(filter) }, (d) => d.deconflictionDeskAlerts);
  return (
    <section>
      <h2>CEOP desk: alerts to broker</h2>
      <FilterSelect value={filter} onChange={setFilter} />
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No alerts for the desk.">
        <table>
          <thead>
            <tr>
              <th>Selector</th>
              <th>Held first by</th>
              <th>Then recorded or searched by</th>
              <th>Agreement in force</th>
              <th>Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((a) => (
              <tr key={a.id} data-id={a.id}>
                <td className="mono">{a.selector ?? "(not shown to you)"}</td>
                <td>
                  {a.holderOrg}
                  {a.holderCovert && <strong> (covert)</strong>}
                  <div>
                    <Spoc contact={a.holderContact} />
                  </div>
                </td>
                <td>
                  {a.otherOrg} {a.trigger === "RECORD" ? "recorded" : "searched"} · {a.occurrences}× · last {formatDateTime(a.lastAt)}
                  {a.otherCovert && <strong> (covert)</strong>}
                  <div>
                    <Spoc contact={a.otherContact} />
                  </div>
                </td>
                <td>{a.partners ? "Yes" : "No"}</td>
                <td>
                  {a.holderOrg}: {formatDateTime(a.holderAcknowledgedAt)}
                  <br />
                  {a.otherOrg}: {formatDateTime(a.otherAcknowledgedAt)}
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
