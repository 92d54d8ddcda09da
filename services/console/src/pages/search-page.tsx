/**
 * Who holds this handle, email or phone number: hits grouped by owning org. FULL hits show the
 * record; POINTER hits only that the org holds a match and whom to contact. An org that did not
 * answer is shown as UNAVAILABLE, never as "no results".
 */
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { unavailableOrg } from "../api/errors";
import { usePagedQuery, useQuery } from "../api/hooks";
import { IDENTITY_STATUSES, keysOf, PLATFORMS } from "../domain/labels";
import { identityPath } from "../domain/paths";
import { mayUse } from "../domain/roles";
import { graphql } from "../gql";
import type { Platform, SearchQuery, SearchQueryVariables } from "../gql/graphql";
import { usePrincipal } from "../session/session";
import { testIds } from "../testids";
import { useMarkings } from "../ui/marking";
import { ClassificationTag, GradingView } from "../ui/record-markings";
import { Spoc } from "../ui/spoc";
import { Empty, ErrorState, LoadMore, Loading, PartialErrors } from "../ui/states";
import { RequestAccessButton } from "./request-access";

const Search = graphql(`
  query Search($query: String!, $platform: Platform, $fuzzy: Boolean!, $after: String) {
    orgs {
      code
      name
    }
    search(query: $query, platform: $platform, fuzzy: $fuzzy, first: 20, after: $after) {
      nodes {
        recordId
        selector
        match
        score
        org {
          code
          name
          spoc {
            ...SpocFields
          }
        }
        access {
          level
          reason
        }
        identity {
          id
          handle
          platform
          platformOther
          displayName
          status
          classification
          covert
          lastSeen
          grading {
            ...GradingFields
          }
        }
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
`);

/** A search of a selector another org holds raises an alert to both sides, the searcher's carrying whom to contact. */
const SearchDeconfliction = graphql(`
  query SearchDeconfliction {
    deconflictionAlerts(first: 20, acknowledged: false) {
      nodes {
        id
        trigger
        selector
        lastAt
        yourRecordId
        advice
        contact {
          ...SpocFields
        }
      }
    }
  }
`);

/** How far before the search an alert may be stamped and still count as raised by it (the browser's and the hub's clocks differ). */
const RAISED_BY_THIS_SEARCH_MS = 30_000;

type Hit = SearchQuery["search"]["nodes"][number];
type Submitted = { variables: SearchQueryVariables; at: number };

export function SearchPage() {
  const [text, setText] = useState("");
  const [platform, setPlatform] = useState<Platform | "">("");
  const [fuzzy, setFuzzy] = useState(false);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const mayDeconflict = mayUse(usePrincipal(), "alerts");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) setSubmitted({ variables: { query: text.trim(), platform: platform || null, fuzzy }, at: Date.now() });
  };

  return (
    <section>
      <h1>Search</h1>
      <form onSubmit={submit} className="search-form row" role="search">
        <label className="grow">
          Handle, email or phone
          <input data-testid={testIds.searchInput} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        </label>
        <label>
          Platform
          <select data-testid={testIds.searchPlatform} value={platform} onChange={(e) => setPlatform(e.target.value as Platform | "")}>
            <option value="">Any platform</option>
            {keysOf(PLATFORMS).map((p) => (
              <option key={p} value={p}>
                {PLATFORMS[p]}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" data-testid={testIds.searchFuzzy} checked={fuzzy} onChange={(e) => setFuzzy(e.target.checked)} />
          Similar handles
        </label>
        <button type="submit" data-testid={testIds.searchSubmit} disabled={!text.trim()}>
          Search
        </button>
      </form>
      {submitted && <SearchResults key={submitted.at} variables={submitted.variables} deconfliction={mayDeconflict ? submitted.at : null} />}
    </section>
  );
}

function SearchResults({ variables, deconfliction }: { variables: SearchQueryVariables; deconfliction: number | null }) {
  const result = usePagedQuery(Search, variables, (d) => d.search);
  const hits = result.nodes;
  useMarkings(hits.map((h) => h.identity?.classification));

  if (result.error) {
    return (
      <div data-testid={testIds.searchError}>
        <ErrorState error={result.error} />
      </div>
    );
  }
  if (result.loading) return <Loading what="Searching every org" />;

  const knownOrgs = result.data?.orgs.map((o) => o.code) ?? [];
  const unavailable = [...new Set(result.errors.map((e) => unavailableOrg(e, knownOrgs)).filter((o): o is string => !!o))];
  const otherErrors = result.errors.filter((e) => !unavailableOrg(e, knownOrgs));
  const groups = groupByOrg(hits);

  return (
    <div data-testid={testIds.searchResults}>
      {unavailable.map((org) => (
        <p key={org} className="unavailable" data-testid={testIds.orgUnavailable} data-org={org} role="status">
          {org}: UNAVAILABLE — it did not answer, so its records are not in these results. Search again later.
        </p>
      ))}
      <PartialErrors errors={otherErrors} />
      {deconfliction !== null && <DeconflictionAdvice since={deconfliction - RAISED_BY_THIS_SEARCH_MS} />}
      {hits.length === 0 && (
        <div data-testid={testIds.searchEmpty}>
          <Empty>
            No org {unavailable.length > 0 ? "that answered " : ""}holds a record matching “{variables.query}” that you may know of.
          </Empty>
        </div>
      )}
      {groups.map(([org, orgHits]) => (
        <section key={org} className="org-group">
          <h2>
            {org} <span className="muted">({orgHits[0]!.org.name})</span>
          </h2>
          <ul className="hits">
            {orgHits.map((hit) => (
              <SearchHitRow key={hit.recordId} hit={hit} />
            ))}
          </ul>
        </section>
      ))}
      <LoadMore list={result} />
    </div>
  );
}

function DeconflictionAdvice({ since }: { since: number }) {
  const { data } = useQuery(SearchDeconfliction, {});
  // Alerts this org raised by searching (it holds no record of its own in them).
  const raised = data?.deconflictionAlerts.nodes.filter((a) => a.trigger === "SEARCH" && !a.yourRecordId && Date.parse(a.lastAt) >= since) ?? [];
  if (raised.length === 0) return null;
  return (
    <ul className="deconfliction" aria-label="Deconfliction advice">
      {raised.map((a) => (
        <li key={a.id}>
          <strong>Deconfliction</strong> ({a.selector}): {a.advice} <Spoc contact={a.contact} />
        </li>
      ))}
    </ul>
  );
}

function groupByOrg(hits: Hit[]): [string, Hit[]][] {
  const groups = new Map<string, Hit[]>();
  for (const hit of hits) groups.set(hit.org.code, [...(groups.get(hit.org.code) ?? []), hit]);
  return [...groups];
}

function SearchHitRow({ hit }: { hit: Hit }) {
  const { identity } = hit;
  // Another org's record, even one shared in full, is acted on through its owner's SPOC.
  const foreign = hit.org.code !== usePrincipal().org;
  return (
    <li className="hit" data-testid={testIds.searchHit} data-org={hit.org.code} data-access={hit.access.level} data-record-id={hit.recordId}>
      <div className="hit-match muted">
        {hit.match === "EXACT" ? "Exact match" : `Similar (${hit.score.toFixed(2)})`} on {hit.selector} · {hit.access.level}: {hit.access.reason}
      </div>
      {identity ? (
        <div className="hit-record">
          <Link to={identityPath(identity.id)} className="handle">
            {identity.handle}
          </Link>{" "}
          on {identity.platform === "OTHER" ? (identity.platformOther ?? "other") : PLATFORMS[identity.platform]}
          {identity.displayName && <> (“{identity.displayName}”)</>} · {IDENTITY_STATUSES[identity.status]} ·{" "}
          <ClassificationTag classification={identity.classification} /> <GradingView grading={identity.grading} />
          {foreign && (
            <p data-testid={testIds.hitSpoc}>
              Held by {hit.org.code} — contact <Spoc contact={hit.org.spoc} /> before acting on it
            </p>
          )}
        </div>
      ) : hit.access.level === "POINTER" ? (
        <div className="hit-pointer">
          <p data-testid={testIds.hitSpoc}>
            Held by {hit.org.code} — contact <Spoc contact={hit.org.spoc} />
          </p>
          <RequestAccessButton recordId={hit.recordId} owner={hit.org.code} />
        </div>
      ) : (
        <p className="muted">{hit.org.code} did not return the record; its error is shown above.</p>
      )}
    </li>
  );
}
