/** One online identity, read from and decided by its owner: fields, markings, selectors, links and sightings. */
import { Link, useParams } from "react-router";
import { usePagedQuery, useQuery } from "../api/hooks";
import { IDENTITY_STATUSES, LINK_TYPES, PLATFORMS } from "../domain/labels";
import { forumPath, graphPath, identityPath } from "../domain/paths";
import { graphql } from "../gql";
import type { IdentityLinksQuery, IdentityQuery } from "../gql/graphql";
import { testIds } from "../testids";
import { formatDateTime } from "../ui/format";
import { useMarkings } from "../ui/marking";
import { ClassificationTag, GradingView } from "../ui/record-markings";
import { Empty, ErrorState, ListStates, LoadMore, Loading, PartialErrors } from "../ui/states";
import { RecordHeader } from "./record-header";

const Identity = graphql(`
  query Identity($id: ID!) {
    identity(id: $id) {
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
      platformOther
      handle
      normalisedHandle
      displayName
      profileUrl
      status
      notes
      firstSeen
      lastSeen
      selectors {
        kind
        value
      }
    }
  }
`);

const IdentityLinks = graphql(`
  query IdentityLinks($id: ID!, $after: String) {
    identity(id: $id) {
      id
      links(first: 50, after: $after) {
        nodes {
          id
          owner
          linkType
          rationale
          classification
          grading {
            ...GradingFields
          }
          toIdentity {
            identity {
              id
              handle
              owner
            }
          }
          toForum {
            forum {
              id
              name
              owner
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

const IdentitySightings = graphql(`
  query IdentitySightings($id: ID!, $after: String) {
    identity(id: $id) {
      id
      sightings(first: 20, after: $after) {
        nodes {
          id
          org
          seenAt
          note
          classification
          forum {
            forum {
              id
              name
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

type IdentityRecord = NonNullable<IdentityQuery["identity"]>;
type LinkRecord = NonNullable<IdentityLinksQuery["identity"]>["links"]["nodes"][number];

export function IdentityPage() {
  const id = useParams().id!;
  const { data, errors, error, loading } = useQuery(Identity, { id });
  const identity = data?.identity;
  useMarkings([identity?.classification]);

  if (error) return <ErrorState error={error} />;
  if (loading) return <Loading />;
  if (!identity) return <Empty>No identity {id} is visible to you: it does not exist, or its owner does not share it with you.</Empty>;
  return (
    <article data-testid={testIds.identityPage}>
      <PartialErrors errors={errors} />
      <RecordHeader
        record={identity}
        title={
          <>
            <span data-testid={testIds.identityHandle}>{identity.handle}</span>{" "}
            <span className="muted">on {identity.platform === "OTHER" ? (identity.platformOther ?? "other") : PLATFORMS[identity.platform]}</span>
          </>
        }
      />
      <p>
        <Link to={graphPath(identity.id)} data-testid={testIds.openGraph}>
          Open the link graph around this identity
        </Link>
      </p>
      <IdentityFields identity={identity} />
      <Links id={identity.id} />
      <Sightings id={identity.id} />
    </article>
  );
}

function IdentityFields({ identity }: { identity: IdentityRecord }) {
  return (
    <section>
      <h2>Identity</h2>
      <dl className="fields">
        <dt>Status</dt>
        <dd>{IDENTITY_STATUSES[identity.status]}</dd>
        <dt>Display name</dt>
        <dd>{identity.displayName ?? "—"}</dd>
        <dt>Normalised handle</dt>
        <dd className="mono">{identity.normalisedHandle}</dd>
        <dt>Profile</dt>
        {/* Shown as text: the console never sends the analyst's browser to a suspect's profile. */}
        <dd className="mono">{identity.profileUrl ?? "—"}</dd>
        <dt>First / last seen</dt>
        <dd>
          {formatDateTime(identity.firstSeen)} / {formatDateTime(identity.lastSeen)}
        </dd>
        <dt>Selectors</dt>
        <dd>
          {identity.selectors.map((s) => (
            <div key={`${s.kind}:${s.value}`} className="mono">
              {s.kind}: {s.value}
            </div>
          ))}
        </dd>
        <dt>Notes</dt>
        <dd className="notes">{identity.notes ?? "—"}</dd>
      </dl>
    </section>
  );
}

function Links({ id }: { id: string }) {
  const result = usePagedQuery(IdentityLinks, { id }, (d) => d.identity?.links);
  useMarkings(result.nodes.map((l) => l.classification));
  return (
    <section>
      <h2>Links recorded by the owner</h2>
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No links from this identity that you may read.">
        <table>
          <thead>
            <tr>
              <th>Type</th>
              <th>To</th>
              <th>Rationale</th>
              <th>Marking</th>
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((l) => (
              <tr key={l.id}>
                <td>{LINK_TYPES[l.linkType].label}</td>
                <td>
                  <LinkEnd link={l} />
                </td>
                <td>{l.rationale ?? "—"}</td>
                <td>
                  <ClassificationTag classification={l.classification} /> <GradingView grading={l.grading} />
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

function LinkEnd({ link }: { link: LinkRecord }) {
  const identity = link.toIdentity?.identity;
  const forum = link.toForum?.forum;
  if (identity) return <Link to={identityPath(identity.id)}>{`${identity.handle} (${identity.owner})`}</Link>;
  if (forum) return <Link to={forumPath(forum.id)}>{`${forum.name} (${forum.owner})`}</Link>;
  return <span className="muted">a record you may not read</span>;
}

function Sightings({ id }: { id: string }) {
  const result = usePagedQuery(IdentitySightings, { id }, (d) => d.identity?.sightings);
  useMarkings(result.nodes.map((s) => s.classification));
  return (
    <section>
      <h2>Sightings</h2>
      <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No sightings you may see.">
        <table>
          <thead>
            <tr>
              <th>Seen</th>
              <th>By</th>
              <th>Where</th>
              <th>Note</th>
              <th>Marking</th>
            </tr>
          </thead>
          <tbody>
            {result.nodes.map((s) => (
              <tr key={s.id}>
                <td>{formatDateTime(s.seenAt)}</td>
                <td>{s.org}</td>
                <td>{s.forum?.forum ? <Link to={forumPath(s.forum.forum.id)}>{s.forum.forum.name}</Link> : "—"}</td>
                <td>{s.note ?? "—"}</td>
                <td>
                  <ClassificationTag classification={s.classification} />
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
