/** CEOP deconfliction desk: forums two or more orgs monitor at once, and high-risk forums nobody monitors. */
import { Link } from "react-router";
import { usePagedQuery } from "../api/hooks";
import { PLATFORMS } from "../domain/labels";
import { forumPath } from "../domain/paths";
import { graphql } from "../gql";
import { formatDateTime } from "../ui/format";
import { useMarkings } from "../ui/marking";
import { ClassificationTag } from "../ui/record-markings";
import { Spoc } from "../ui/spoc";
import { ListStates, LoadMore } from "../ui/states";
import { RequestAccessButton } from "./request-access";

const MonitoringOverlaps = graphql(`
  query MonitoringOverlaps($after: String) {
    monitoringOverview {
      overlaps(first: 20, after: $after) {
        nodes {
          forum {
            forum {
              id
              name
              platform
              owner
              riskLevel
              classification
            }
          }
          orgs
          covertInvolved
          assignments {
            id
            org
            covert
            active
            from
            to
            classification
            leadOfficer {
              name
              email
              phone
            }
          }
        }
        pageInfo {
          ...PageInfoFields
        }
      }
    }
  }
`);

const UnmonitoredHighRisk = graphql(`
  query UnmonitoredHighRisk($after: String) {
    monitoringOverview {
      unmonitoredHighRisk(first: 20, after: $after) {
        nodes {
          recordId
          forum {
            forum {
              id
              name
              platform
              classification
            }
          }
          org {
            code
            spoc {
              ...SpocFields
            }
          }
          access {
            level
            reason
          }
          lastMonitoredUntil
        }
        pageInfo {
          ...PageInfoFields
        }
      }
    }
  }
`);

export function MonitoringPage() {
  return (
    <section>
      <h1>Joint monitoring</h1>
      <Overlaps />
      <Unmonitored />
    </section>
  );
}

function Overlaps() {
  const result = usePagedQuery(MonitoringOverlaps, {}, (d) => d.monitoringOverview.overlaps);
  useMarkings(result.nodes.flatMap((o) => [o.forum.forum?.classification, ...o.assignments.map((a) => a.classification)]));
  return (
    <section>
      <h2>Where monitoring overlaps</h2>
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No forum is monitored by two orgs at once.">
        <table>
          <thead>
            <tr>
              <th>Forum</th>
              <th>Monitored by</th>
              <th>Assignments</th>
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((o, i) => (
              <tr key={o.forum.forum?.id ?? `hidden-${i}`}>
                <td>
                  {o.forum.forum ? (
                    <>
                      <Link to={forumPath(o.forum.forum.id)}>{o.forum.forum.name}</Link> ({o.forum.forum.owner}, {PLATFORMS[o.forum.forum.platform]}, risk{" "}
                      {o.forum.forum.riskLevel}) <ClassificationTag classification={o.forum.forum.classification} />
                    </>
                  ) : (
                    <span className="muted">A forum you may not read</span>
                  )}
                </td>
                <td>
                  {o.orgs.join(", ")}
                  {o.covertInvolved && <strong className="warning"> · covert involved: broker the contact, do not pass names on</strong>}
                </td>
                <td>
                  {o.assignments.map((a) => (
                    <div key={a.id}>
                      {a.org}
                      {a.covert && " (covert)"}: {formatDateTime(a.from)} – {a.to ? formatDateTime(a.to) : "open-ended"}
                      {a.active ? "" : " (not in force)"} · lead <Spoc contact={a.leadOfficer} />
                    </div>
                  ))}
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

function Unmonitored() {
  const result = usePagedQuery(UnmonitoredHighRisk, {}, (d) => d.monitoringOverview.unmonitoredHighRisk);
  useMarkings(result.nodes.map((u) => u.forum.forum?.classification));
  return (
    <section>
      <h2>High-risk forums nobody monitors</h2>
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="Every high-risk forum you may know of is monitored.">
        <table>
          <thead>
            <tr>
              <th>Forum</th>
              <th>Owner</th>
              <th>Last monitored until</th>
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((u) => (
              <tr key={u.recordId}>
                <td>
                  {u.forum.forum ? (
                    <>
                      <Link to={forumPath(u.forum.forum.id)}>{u.forum.forum.name}</Link> ({PLATFORMS[u.forum.forum.platform]}){" "}
                      <ClassificationTag classification={u.forum.forum.classification} />
                    </>
                  ) : (
                    <>
                      <span className="muted">
                        Held by {u.org.code} ({u.access.level}: {u.access.reason})
                      </span>{" "}
                      <RequestAccessButton recordId={u.recordId} owner={u.org.code} />
                    </>
                  )}
                </td>
                <td>
                  {u.org.code} — <Spoc contact={u.org.spoc} />
                </td>
                <td>{formatDateTime(u.lastMonitoredUntil)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <LoadMore list={result} />
      </ListStates>
    </section>
  );
}
