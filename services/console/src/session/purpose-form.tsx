/** The purpose of this session (an operation name or reference), sent as x-purpose with every request and recorded in each org's audit log. */
import { useState, type FormEvent } from "react";
import { testIds } from "../testids";

export function PurposeForm({ initial = "", onSubmit, onCancel }: { initial?: string; onSubmit(purpose: string): void; onCancel?(): void }) {
  const [purpose, setPurpose] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (purpose.trim()) onSubmit(purpose.trim());
  };
  return (
    <form onSubmit={submit} className="stack purpose-form">
      <label>
        Purpose of this session
        <input
          data-testid={testIds.purposeInput}
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
          placeholder="e.g. Op KESTREL 24/1234"
          maxLength={200}
          // It travels as an HTTP header, which carries plain ASCII only.
          pattern="[ -~]+"
          title="Letters, digits, spaces and punctuation (no accented letters or symbols)"
          autoFocus
          required
        />
      </label>
      <p className="hint">Every search and record you open is logged by its owner with this purpose.</p>
      <div className="row">
        <button type="submit" data-testid={testIds.purposeSubmit} disabled={!purpose.trim()}>
          Continue
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
