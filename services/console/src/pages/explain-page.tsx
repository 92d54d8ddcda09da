/** FORCE_ADMIN: what a principal would get of one of your force's records, and the rule that decides it. */
import { useState, type FormEvent } from "react";
import { useQuery } from "../api/hooks";
import { CLASSIFICATIONS, classificationLabel } from "../domain/markings";
import { hasNamespace, inNamespace, namespaceFlags } from "../domain/org-namespaces";
import { graphql } from "../gql";
import type { Classification, ExplainAccessQueryVariables } from "../gql/graphql";
import { usePrincipal } from "../session/session";
import { Spoc } from "../ui/spoc";
import { Empty, ErrorState, Loading } from "../ui/states";

const ExplainAccess = graphql(`
  query ExplainAccess($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID!, $as: PrincipalInput!) {
    kent @include(if: $kent) {
      explainAccess(recordId: $recordId, as: $as) {
        ...ExplanationFields
      }
    }
    norfolk @include(if: $norfolk) {
      explainAccess(recordId: $recordId, as: $as) {
        ...ExplanationFields
      }
    }
    essex @include(if: $essex) {
      explainAccess(recordId: $recordId, as: $as) {
        ...ExplanationFields
      }
    }
    ceop @include(if: $ceop) {
      explainAccess(recordId: $recordId, as: $as) {
        ...ExplanationFields
      }
    }
  }

  fragment ExplanationFields on AccessExplanation {
    read {
      level
      reason
      contact {
        ...SpocFields
      }
    }
    search {
      level
      reason
    }
  }
`);

const Orgs = graphql(`
  query Orgs {
    orgs {
      code
      name
    }
  }
`);

const ROLES = ["OFFICER", "ANALYST", "FORCE_ADMIN", "POLICY_ADMIN", "SERVICE"] as const;

export function ExplainPage() {
  const principal = usePrincipal();
  const orgs = useQuery(Orgs, {});
  const [recordId, setRecordId] = useState("");
  const [org, setOrg] = useState("");
  const [roles, setRoles] = useState<string[]>(["ANALYST"]);
  const [clearance, setClearance] = useState<Classification>("OFFICIAL");
  const [covert, setCovert] = useState(false);
  const [variables, setVariables] = useState<ExplainAccessQueryVariables | null>(null);

  if (!hasNamespace(principal.org)) return <Empty>This console cannot explain access for {principal.org}.</Empty>;
  const own = principal.org;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (recordId.trim() && org && roles.length > 0) setVariables({ ...namespaceFlags(own), recordId: recordId.trim(), as: { org, roles, clearance, covert } });
  };
  const toggleRole = (role: string, on: boolean) => setRoles((rs) => (on ? [...rs, role] : rs.filter((r) => r !== role)));

  return (
    <section>
      <h1>Explain access</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Record id (one of {own}'s)
          <input value={recordId} onChange={(e) => setRecordId(e.target.value)} placeholder={`${own}:identity:…`} required />
        </label>
        <fieldset className="row">
          <legend>As a principal of</legend>
          <label>
            Org
            <select value={org} onChange={(e) => setOrg(e.target.value)} required>
              <option value="">Choose…</option>
              {orgs.data?.orgs.map((o) => (
                <option key={o.code} value={o.code}>
                  {o.code} — {o.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Clearance
            <select value={clearance} onChange={(e) => setClearance(e.target.value as Classification)}>
              {CLASSIFICATIONS.map((c) => (
                <option key={c} value={c}>
                  {classificationLabel(c)}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={covert} onChange={(e) => setCovert(e.target.checked)} /> Covert claim
          </label>
        </fieldset>
        <fieldset className="row">
          <legend>Roles</legend>
          {ROLES.map((r) => (
            <label key={r} className="checkbox">
              <input type="checkbox" checked={roles.includes(r)} onChange={(e) => toggleRole(r, e.target.checked)} /> {r}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={!recordId.trim() || !org || roles.length === 0}>
          Explain
        </button>
      </form>
      {orgs.error && <ErrorState error={orgs.error} />}
      {variables && <Explanation variables={variables} org={own} />}
    </section>
  );
}

function Explanation({ variables, org }: { variables: ExplainAccessQueryVariables; org: Parameters<typeof inNamespace>[1] }) {
  const { data, error, loading } = useQuery(ExplainAccess, variables);
  if (error) return <ErrorState error={error} />;
  if (loading || !data) return <Loading />;
  const explanation = inNamespace(data, org)?.explainAccess;
  if (!explanation)
    return (
      <Empty>
        No record {variables.recordId} of {org} is visible to you.
      </Empty>
    );
  return (
    <dl className="fields">
      <dt>Reading it</dt>
      <dd>
        <strong>{explanation.read.level}</strong>: {explanation.read.reason}
      </dd>
      <dt>Finding it by search</dt>
      <dd>
        <strong>{explanation.search.level}</strong>: {explanation.search.reason}
      </dd>
      <dt>Whom they would contact</dt>
      <dd>
        <Spoc contact={explanation.read.contact} />
      </dd>
    </dl>
  );
}
