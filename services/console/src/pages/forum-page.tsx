/** One forum, read from and decided by its owner, and which orgs monitor it (joint monitoring). */
import { useParams } from "react-router";
import { usePagedQuery, useQuery } from "../api/hooks";
import { FORUM_KINDS, PLATFORMS } from "../domain/labels";
import { graphql } from "../gql";
import { formatDateTime } from "../ui/format";
import { useMarkings } from "../ui/marking";
import { ClassificationTag } from "../ui/record-markings";
import { Spoc } from "../ui/spoc";
import { Empty, ErrorState, ListStates, LoadMore, Loading, PartialErrors } from "../ui/states";
import { RecordHeader } from "./record-header";

const Forum = graphql(`
  query Forum($id: ID!) {
    forum(id: $id) {
      id
      owner
      classification
      covert
      reviewDue
      reviewOverdue
      createdBy
      createdAt
      updatedAt
      access {
        level
        reason
      }
      grading {
        ...GradingFields
      }
      platform
      name
      url
      kind
      riskSummary
      riskLevel
    }
  }
`);

const ForumMonitoring = graphql(`
  query ForumMonitoring($id: ID!, $after: String) {
    forum(id: $id) {
      id
      monitoring(first: 20, after: $after) {
        nodes {
          id
          org
          from
          to
          active
          covert
          classification
          leadOfficer {
            name
            email
            phone
          }
        }
        pageInfo {
          ...PageInfoFields
        }
      }
    }
  }
`);

export function ForumPage() {
  const id = useParams().id!;
  const { data, errors, error, loading } = useQuery(Forum, { id });
  const forum = data?.forum;
  useMarkings([forum?.classification]);

  if (error) return <ErrorState error={error} />;
  if (loading) return <Loading />;
  if (!forum) return <Empty>No forum {id} is visible to you: it does not exist, or its owner does not share it with you.</Empty>;
  return (
    <article>
      <PartialErrors errors={errors} />
      <RecordHeader
        record={forum}
        title={
          <>
            {forum.name} <span className="muted">on {PLATFORMS[forum.platform]}</span>
          </>
        }
      />
      <section>
        <h2>Forum</h2>
        <dl className="fields">
          <dt>Kind</dt>
          <dd>{FORUM_KINDS[forum.kind]}</dd>
          <dt>Risk</dt>
          <dd>
            <strong className={`risk risk-${forum.riskLevel.toLowerCase()}`}>{forum.riskLevel}</strong> {forum.riskSummary ?? ""}
          </dd>
          <dt>Address</dt>
          <dd className="mono">{forum.url ?? "—"}</dd>
        </dl>
      </section>
      <Monitoring id={forum.id} />
    </article>
  );
}

function Monitoring({ id }: { id: string }) {
  const result = usePagedQuery(ForumMonitoring, { id }, (d) => d.forum?.monitoring);
  useMarkings(result.nodes.map((m) => m.classification));
  return (
    <section>
      <h2>Who monitors it</h2>
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No monitoring of this forum that you may know of.">
        <table>
          <thead>
            <tr>
              <th>Org</th>
              <th>From – to</th>
              <th>In force</th>
              <th>Lead officer</th>
              <th>Marking</th>
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.org}
                  {m.covert && <strong> (covert: broker contact through the CEOP desk)</strong>}
                </td>
                <td>
                  {formatDateTime(m.from)} – {m.to ? formatDateTime(m.to) : "open-ended"}
                </td>
                <td>{m.active ? "Yes" : "No"}</td>
                <td>
                  <Spoc contact={m.leadOfficer} />
                </td>
                <td>
                  <ClassificationTag classification={m.classification} />
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
