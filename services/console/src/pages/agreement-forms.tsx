/** The dialogs that change an agreement: each names the version it saw, and every change but creation gives a reason. */
import { useState, type FormEvent, type ReactNode } from "react";
import { useOperation } from "../api/hooks";
import { CLASSIFICATIONS, classificationLabel } from "../domain/markings";
import { graphql } from "../gql";
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import type { AgreementInput, AgreementsQuery, Classification, RecordKind, SuspendAgreementMutationVariables } from "../gql/graphql";
import { testIds } from "../testids";
import { Dialog } from "../ui/dialog";
import { ErrorState } from "../ui/states";

export type Agreement = AgreementsQuery["agreements"]["nodes"][number];
export type StatusChange = "suspend" | "reinstate" | "revoke";

const CreateAgreement = graphql(`
  mutation CreateAgreement($input: AgreementInput!) {
    createAgreement(input: $input) {
      id
      version
    }
  }
`);

const AmendAgreement = graphql(`
  mutation AmendAgreement($id: ID!, $expectedVersion: Int!, $input: AgreementInput!, $reason: String) {
    amendAgreement(id: $id, expectedVersion: $expectedVersion, input: $input, reason: $reason) {
      id
      version
    }
  }
`);

const SuspendAgreement = graphql(`
  mutation SuspendAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {
    suspendAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
      id
      version
    }
  }
`);

const ReinstateAgreement = graphql(`
  mutation ReinstateAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {
    reinstateAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
      id
      version
    }
  }
`);

const RevokeAgreement = graphql(`
  mutation RevokeAgreement($id: ID!, $expectedVersion: Int!, $reason: String!) {
    revokeAgreement(id: $id, expectedVersion: $expectedVersion, reason: $reason) {
      id
      version
    }
  }
`);

/** Suspend, reinstate and revoke take the same arguments. */
type StatusChangeDocument = DocumentTypeDecoration<unknown, SuspendAgreementMutationVariables>;

const STATUS_CHANGES: Record<StatusChange, { title: string; document: StatusChangeDocument; consequence: string }> = {
  suspend: { title: "Suspend", document: SuspendAgreement, consequence: "Sharing under it stops until it is reinstated." },
  reinstate: { title: "Reinstate", document: ReinstateAgreement, consequence: "Sharing under it resumes." },
  revoke: { title: "Revoke", document: RevokeAgreement, consequence: "It ends for good; this cannot be undone." },
};

const RECORD_KINDS: Record<RecordKind, string> = { IDENTITY: "Identities", FORUM: "Forums", LINK: "Suspect links" };

/** Shown for a stale expectedVersion (CONFLICT) with a way to reload. */
function Failure({ error, onReload }: { error: ReturnType<typeof useOperation>[1]["error"]; onReload(): void }) {
  if (!error) return null;
  if (error.code !== "CONFLICT") return <ErrorState error={error} />;
  return (
    <div className="state state-error" data-testid={testIds.error} role="alert">
      <strong>CONFLICT</strong>: this agreement was changed by someone else since you loaded it.{" "}
      <button type="button" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}

function ReasonField({ value, onChange }: { value: string; onChange(v: string): void }) {
  return (
    <label>
      Reason (kept in the agreement's history)
      <textarea data-testid={testIds.agreementReason} value={value} onChange={(e) => onChange(e.target.value)} rows={3} required />
    </label>
  );
}

function Buttons({ running, disabled, label, onCancel }: { running: boolean; disabled: boolean; label: string; onCancel(): void }) {
  return (
    <div className="row">
      <button type="submit" data-testid={testIds.agreementConfirm} disabled={running || disabled}>
        {running ? "Saving…" : label}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

export function StatusChangeDialog({ change, agreement, onDone }: { change: StatusChange; agreement: Agreement; onDone(): void }) {
  const { title, document, consequence } = STATUS_CHANGES[change];
  const [reason, setReason] = useState("");
  const [run, { running, error }] = useOperation(document);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run({ id: agreement.id, expectedVersion: agreement.version, reason: reason.trim() })) onDone();
  };
  return (
    <Dialog title={`${title} “${agreement.name}”`} open onClose={onDone}>
      <form onSubmit={submit} className="stack">
        <p>
          {consequence} You are changing version {agreement.version}.
        </p>
        <ReasonField value={reason} onChange={setReason} />
        <Failure error={error} onReload={onDone} />
        <Buttons running={running} disabled={!reason.trim()} label={title} onCancel={onDone} />
      </form>
    </Dialog>
  );
}

const dateInput = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : "");
/** A date picked in the form; an unchanged one keeps the agreement's exact instant. */
const fromDateInput = (value: string, original?: string | null): string | null =>
  !value ? null : original && dateInput(original) === value ? original : new Date(`${value}T00:00:00Z`).toISOString();

/** Create (no agreement) or amend (an agreement, at the version shown). */
export function AgreementFormDialog({ agreement, orgs, onDone }: { agreement?: Agreement; orgs: readonly string[]; onDone(): void }) {
  const [name, setName] = useState(agreement?.name ?? "");
  const [members, setMembers] = useState<string[]>(agreement?.members ?? []);
  const [kinds, setKinds] = useState<RecordKind[]>(agreement?.kinds ?? ["IDENTITY", "FORUM", "LINK"]);
  const [ceiling, setCeiling] = useState<Classification>(agreement?.maxClassification ?? "OFFICIAL_SENSITIVE");
  const [validFrom, setValidFrom] = useState(dateInput(agreement?.validFrom ?? new Date().toISOString()));
  const [validTo, setValidTo] = useState(dateInput(agreement?.validTo));
  const [reason, setReason] = useState("");
  const [create, creating] = useOperation(CreateAgreement);
  const [amend, amending] = useOperation(AmendAgreement);
  const state = agreement ? amending : creating;

  const input: AgreementInput = {
    name: name.trim(),
    members,
    kinds,
    maxClassification: ceiling,
    validFrom: fromDateInput(validFrom, agreement?.validFrom)!,
    validTo: fromDateInput(validTo, agreement?.validTo),
  };
  const valid = input.name !== "" && members.length >= 2 && kinds.length > 0 && validFrom !== "" && (!agreement || reason.trim() !== "");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = agreement ? await amend({ id: agreement.id, expectedVersion: agreement.version, input, reason: reason.trim() }) : await create({ input });
    if (done) onDone();
  };

  return (
    <Dialog title={agreement ? `Amend “${agreement.name}” (version ${agreement.version})` : "New agreement"} open onClose={onDone}>
      <form onSubmit={submit} className="stack">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        </label>
        <Checkboxes legend="Member orgs (at least two)" options={orgs.map((o) => [o, o])} selected={members} onChange={setMembers} />
        <Checkboxes
          legend="Records shared"
          options={Object.entries(RECORD_KINDS) as [RecordKind, string][]}
          selected={kinds}
          onChange={(k) => setKinds(k as RecordKind[])}
        />
        <label>
          Highest classification shared
          <select value={ceiling} onChange={(e) => setCeiling(e.target.value as Classification)}>
            {CLASSIFICATIONS.map((c) => (
              <option key={c} value={c}>
                {classificationLabel(c)}
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <label>
            Valid from
            <input type="date" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} required />
          </label>
          <label>
            Valid to (empty: open-ended)
            <input type="date" value={validTo} onChange={(e) => setValidTo(e.target.value)} />
          </label>
        </div>
        {agreement && <ReasonField value={reason} onChange={setReason} />}
        <Failure error={state.error} onReload={onDone} />
        <Buttons running={state.running} disabled={!valid} label={agreement ? "Amend" : "Create"} onCancel={onDone} />
      </form>
    </Dialog>
  );
}

function Checkboxes({
  legend,
  options,
  selected,
  onChange,
}: {
  legend: ReactNode;
  options: [string, string][];
  selected: string[];
  onChange(values: string[]): void;
}) {
  return (
    <fieldset className="row">
      <legend>{legend}</legend>
      {options.map(([value, label]) => (
        <label key={value} className="checkbox">
          <input
            type="checkbox"
            checked={selected.includes(value)}
            onChange={(e) => onChange(e.target.checked ? [...selected, value] : selected.filter((s) => s !== value))}
          />{" "}
          {label}
        </label>
      ))}
    </fieldset>
  );
}
