/** FORCE_ADMIN: your force's DPA 2018 s.62 log, for one record or one principal; need-to-know still limits what it shows. */
import { useState, type FormEvent } from "react";
import { usePagedQuery } from "../api/hooks";
import { hasNamespace, inNamespace, namespaceFlags } from "../domain/org-namespaces";
import { graphql } from "../gql";
import type { AuditTrailQueryVariables } from "../gql/graphql";
import { usePrincipal } from "../session/session";
import { formatDateTime } from "../ui/format";
import { Empty, ListStates, LoadMore } from "../ui/states";

const AuditTrail = graphql(`
  query AuditTrail($kent: Boolean!, $norfolk: Boolean!, $essex: Boolean!, $ceop: Boolean!, $recordId: ID, $sub: String, $org: String, $after: String) {
    kent @include(if: $kent) {
      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {
        ...AuditPageFields
      }
    }
    norfolk @include(if: $norfolk) {
      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {
        ...AuditPageFields
      }
    }
    essex @include(if: $essex) {
      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {
        ...AuditPageFields
      }
    }
    ceop @include(if: $ceop) {
      auditTrail(recordId: $recordId, sub: $sub, org: $org, first: 20, after: $after) {
        ...AuditPageFields
      }
    }
  }

  fragment AuditPageFields on AuditPage {
    nodes {
      seq
      at
      sub
      org
      roles
      purpose
      operation
      action
      requestId
      recipientOrg
      detail
      records {
        id
        kind
        level
        reason
      }
    }
    pageInfo {
      ...PageInfoFields
    }
  }
`);

type Subject = "recordId" | "sub" | "org";

const SUBJECTS: Record<Subject, { option: string; label: string; example: (org: string) => string }> = {
  recordId: { option: "a record (its id)", label: "Record id", example: (org) => `${org}:identity:…` },
  sub: { option: "a principal (its sub)", label: "Principal sub", example: (org) => `demo-${org.toLowerCase()}-analyst` },
  org: { option: "the principals of an org", label: "Org code", example: () => "ESSEX" },
};

export function AuditPage() {
  const principal = usePrincipal();
  const [subject, setSubject] = useState<Subject>("recordId");
  const [value, setValue] = useState("");
  const [variables, setVariables] = useState<AuditTrailQueryVariables | null>(null);

  if (!hasNamespace(principal.org)) return <Empty>This console has no audit view for {principal.org}.</Empty>;
  const org = principal.org;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) setVariables({ ...namespaceFlags(org), [subject]: value.trim() });
  };
  return (
    <section>
      <h1>Audit trail ({org})</h1>
      <form onSubmit={submit} className="row">
        <label>
          Of
          <select value={subject} onChange={(e) => setSubject(e.target.value as Subject)}>
            {(Object.keys(SUBJECTS) as Subject[]).map((k) => (
              <option key={k} value={k}>
                {SUBJECTS[k].option}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {SUBJECTS[subject].label}
          <input value={value} onChange={(e) => setValue(e.target.value)} placeholder={SUBJECTS[subject].example(org)} />
        </label>
        <button type="submit" disabled={!value.trim()}>
          Show
        </button>
      </form>
      {variables && <AuditEvents variables={variables} org={org} />}
    </section>
  );
}

function AuditEvents({ variables, org }: { variables: AuditTrailQueryVariables; org: Parameters<typeof inNamespace>[1] }) {
  const result = usePagedQuery(AuditTrail, variables, (d) => inNamespace(d, org)?.auditTrail);
  return (
    <ListStates loading={result.loading} error={result.error} count={result.nodes.length} empty="No audit events you may see.">
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Purpose</th>
            <th>Records</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {result.nodes.map((e) => (
            <tr key={e.seq}>
              <td>
                {formatDateTime(e.at)}
                <div className="muted">#{e.seq}</div>
              </td>
              <td>
                {e.sub ?? "—"} {e.org && `(${e.org}; ${e.roles.join(", ")})`}
              </td>
              <td>
                {e.action} · {e.operation}
                {e.recipientOrg && ` → ${e.recipientOrg}`}
              </td>
              <td>{e.purpose ?? "—"}</td>
              <td>
                {e.records.map((r) => (
                  <div key={r.id} className="mono">
                    {r.id} ({r.kind}, {r.level}: {r.reason})
                  </div>
                ))}
              </td>
              <td className="mono detail">{JSON.stringify(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadMore list={result} />
    </ListStates>
  );
}
