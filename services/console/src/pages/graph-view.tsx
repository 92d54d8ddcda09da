/**
 * Draws what linkGraph returned with cytoscape.js: nodes coloured by owning org, edges by link
 * type. The same nodes are in a list (collapsed by default) for keyboard use and for tests.
 */
import cytoscape, { type Core, type ElementDefinition } from "cytoscape";
import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { keysOf, LINK_TYPES } from "../domain/labels";
import { forumPath, identityPath } from "../domain/paths";
import type { LinkType } from "../gql/graphql";
import { testIds } from "../testids";

export interface GraphNode {
  id: string;
  owner: string;
  label: string;
  kind: "identity" | "forum";
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  linkType: LinkType;
}

/** Distinct on white and in greyscale print; beyond eight orgs colours repeat (the label names the org). */
const ORG_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];

const orgColour = (orgs: readonly string[], org: string): string => ORG_PALETTE[Math.max(0, orgs.indexOf(org)) % ORG_PALETTE.length]!;

function elements(nodes: GraphNode[], edges: GraphEdge[], orgs: readonly string[], rootId: string): ElementDefinition[] {
  return [
    ...nodes.map((n) => ({
      group: "nodes" as const,
      data: { id: n.id, label: `${n.label}\n${n.owner}`, colour: orgColour(orgs, n.owner), kind: n.kind, root: n.id === rootId },
    })),
    ...edges.map((e) => ({ group: "edges" as const, data: { id: e.id, source: e.source, target: e.target, colour: LINK_TYPES[e.linkType].colour } })),
  ];
}

export function GraphView({
  nodes,
  edges,
  orgs,
  rootId,
  onExpand,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  orgs: readonly string[];
  rootId: string;
  onExpand(id: string): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const expand = useRef(onExpand);
  expand.current = onExpand;

  useEffect(() => {
    const instance = cytoscape({
      container: container.current,
      // A small graph is not blown up to fill the canvas.
      maxZoom: 1.5,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            label: "data(label)",
            "text-wrap": "wrap",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 4,
            "text-background-color": "#fff",
            "text-background-opacity": 0.85,
            "font-family": "system-ui, sans-serif",
          },
        },
        { selector: "node[kind = 'forum']", style: { shape: "round-rectangle" } },
        { selector: "node[?root]", style: { "border-width": 3, "border-color": "#000" } },
        {
          selector: "edge",
          style: { "line-color": "data(colour)", "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle", "curve-style": "bezier", width: 2 },
        },
      ],
    });
    instance.on("tap", "node", (event) => expand.current(event.target.id()));
    cy.current = instance;
    return () => instance.destroy();
  }, [rootId]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    const wanted = elements(nodes, edges, orgs, rootId);
    const ids = new Set(wanted.map((el) => el.data.id));
    const stale = instance.elements().filter((el) => !ids.has(el.id()));
    const fresh = wanted.filter((el) => instance.getElementById(el.data.id!).empty());
    if (stale.empty() && fresh.length === 0) return;
    stale.remove();
    instance.add(fresh);
    instance.layout({ name: "cose", animate: false }).run();
  }, [nodes, edges, orgs, rootId]);

  return (
    <>
      <div ref={container} className="graph-canvas" data-testid={testIds.linkGraph} aria-label="Link graph (the same nodes are listed below)" role="img" />
      <Legend orgs={[...new Set(nodes.map((n) => n.owner))].sort()} allOrgs={orgs} />
      <details className="graph-list">
        <summary>Nodes as a list</summary>
        <ul data-testid={testIds.graphNodeList}>
          {nodes.map((n) => (
            <li key={n.id} data-testid={testIds.graphNode} data-id={n.id} data-org={n.owner}>
              <Link to={n.kind === "identity" ? identityPath(n.id) : forumPath(n.id)}>{n.label}</Link> ({n.owner}, {n.kind}){" "}
              {n.kind === "identity" && (
                <button type="button" onClick={() => onExpand(n.id)}>
                  Expand
                </button>
              )}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

function Legend({ orgs, allOrgs }: { orgs: string[]; allOrgs: readonly string[] }) {
  return (
    <div className="legend">
      {orgs.map((o) => (
        <span key={o}>
          <span className="swatch" style={{ background: orgColour(allOrgs, o) }} /> {o}
        </span>
      ))}
      {keysOf(LINK_TYPES).map((t) => (
        <span key={t}>
          <span className="swatch swatch-line" style={{ background: LINK_TYPES[t].colour }} /> {LINK_TYPES[t].label}
        </span>
      ))}
    </div>
  );
}
