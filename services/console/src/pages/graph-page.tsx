/**
 * The suspect-link neighbourhood of an identity across forces. Clicking a node asks linkGraph
 * around it and merges the answer: only what the API returned is drawn.
 */
import { useCallback, useEffect, useState } from "react";
import { useParams } from "react-router";
import { useOperation, useQuery } from "../api/hooks";
import { graphql } from "../gql";
import type { Classification, LinkGraphQuery } from "../gql/graphql";
import { testIds } from "../testids";
import { useMarkings } from "../ui/marking";
import { Empty, ErrorState, Loading, PartialErrors } from "../ui/states";
import { GraphView, type GraphEdge, type GraphNode } from "./graph-view";

const LinkGraph = graphql(`
  query LinkGraph($rootId: ID!, $depth: Int!) {
    orgs {
      code
    }
    linkGraph(rootId: $rootId, depth: $depth) {
      root {
        id
      }
      nodes {
        id
        owner
        classification
        ... on OnlineIdentity {
          handle
        }
        ... on Forum {
          name
        }
      }
      edges {
        id
        linkType
        classification
        from {
          identity {
            id
          }
        }
        toIdentity {
          identity {
            id
          }
        }
        toForum {
          forum {
            id
          }
        }
      }
      truncated
      unavailableOrgs
    }
  }
`);

type Answer = LinkGraphQuery["linkGraph"];

interface Drawn {
  nodes: Map<string, GraphNode & { classification: Classification }>;
  edges: Map<string, GraphEdge & { classification: Classification }>;
  unavailable: Set<string>;
  truncated: boolean;
}

/** Adds an answer to what is drawn; an edge is drawn only between nodes the API returned. */
function merge(drawn: Drawn, answer: Answer): Drawn {
  const nodes = new Map(drawn.nodes);
  for (const n of answer.nodes) {
    const label = "handle" in n ? n.handle : "name" in n ? n.name : n.id;
    nodes.set(n.id, { id: n.id, owner: n.owner, label, kind: "handle" in n ? "identity" : "forum", classification: n.classification });
  }
  const edges = new Map(drawn.edges);
  for (const e of answer.edges) {
    const source = e.from.identity?.id;
    const target = e.toIdentity?.identity?.id ?? e.toForum?.forum?.id;
    if (source && target && nodes.has(source) && nodes.has(target)) {
      edges.set(e.id, { id: e.id, source, target, linkType: e.linkType, classification: e.classification });
    }
  }
  return { nodes, edges, unavailable: new Set([...drawn.unavailable, ...answer.unavailableOrgs]), truncated: drawn.truncated || answer.truncated };
}

const EMPTY: Drawn = { nodes: new Map(), edges: new Map(), unavailable: new Set(), truncated: false };

export function GraphPage() {
  const rootId = useParams().rootId!;
  const [depth, setDepth] = useState(2);
  const { data, errors, error, loading } = useQuery(LinkGraph, { rootId, depth });
  const [expandQuery, expansion] = useOperation(LinkGraph);
  const [drawn, setDrawn] = useState<Drawn>(EMPTY);

  useEffect(() => setDrawn(data ? merge(EMPTY, data.linkGraph) : EMPTY), [data]);

  const expand = useCallback(
    async (id: string) => {
      if (drawn.nodes.get(id)?.kind !== "identity") return;
      const answer = await expandQuery({ rootId: id, depth: 1 });
      if (answer) setDrawn((d) => merge(d, answer.linkGraph));
    },
    [drawn, expandQuery],
  );

  const nodes = [...drawn.nodes.values()];
  const edges = [...drawn.edges.values()];
  useMarkings([...nodes, ...edges].map((r) => r.classification));

  return (
    <section>
      <h1>Link graph</h1>
      <div className="row">
        <label>
          Hops from the root
          <select value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
            {[1, 2, 3].map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">Click a node (or use “Expand” in the list) to add the links around it.</span>
      </div>
      {error && <ErrorState error={error} />}
      {expansion.error && <ErrorState error={expansion.error} />}
      {loading && <Loading what="Walking the links" />}
      <PartialErrors errors={errors} />
      {[...drawn.unavailable].map((org) => (
        <p key={org} className="unavailable" data-testid={testIds.orgUnavailable} data-org={org} role="status">
          {org}: UNAVAILABLE — the graph may lack its part.
        </p>
      ))}
      {drawn.truncated && <p className="warning">The walk stopped at the node limit: not everything around the root is drawn.</p>}
      {data && !data.linkGraph.root && <Empty>No identity {rootId} is visible to you.</Empty>}
      {data?.linkGraph.root && <GraphView nodes={nodes} edges={edges} orgs={data.orgs.map((o) => o.code)} rootId={rootId} onExpand={expand} />}
    </section>
  );
}
