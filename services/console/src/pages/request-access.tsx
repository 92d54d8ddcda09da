/** Asking the owner of a POINTER hit to release the record: a justification, then the request id to quote. */
import { useState, type FormEvent } from "react";
import { useOperation } from "../api/hooks";
import { graphql } from "../gql";
import { testIds } from "../testids";
import { Dialog } from "../ui/dialog";
import { ErrorState } from "../ui/states";

const RequestAccess = graphql(`
  mutation RequestAccess($recordId: ID!, $purpose: String!) {
    requestAccess(recordId: $recordId, purpose: $purpose) {
      id
      owner
      status
    }
  }
`);

export function RequestAccessButton({ recordId, owner }: { recordId: string; owner: string }) {
  const [open, setOpen] = useState(false);
  const [justification, setJustification] = useState("");
  const [sent, setSent] = useState<{ id: string; status: string } | null>(null);
  const [request, { running, error }] = useOperation(RequestAccess);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const data = await request({ recordId, purpose: justification.trim() });
    if (data) {
      setSent(data.requestAccess);
      setOpen(false);
    }
  };

  if (sent) {
    return (
      <p className="confirmation" data-testid={testIds.requestAccessSent} role="status">
        Request {sent.id} sent to {owner} ({sent.status}). Its force admin will grant or decline it.
      </p>
    );
  }
  return (
    <>
      <button type="button" data-testid={testIds.requestAccess} onClick={() => setOpen(true)}>
        Request access
      </button>
      <Dialog title={`Request access from ${owner}`} open={open} onClose={() => setOpen(false)}>
        <form onSubmit={submit} className="stack">
          <label>
            Justification (why your org needs this record; the owner sees it)
            <textarea
              data-testid={testIds.requestAccessJustification}
              value={justification}
              onChange={(e) => setJustification(e.target.value)}
              rows={4}
              required
              autoFocus
            />
          </label>
          {error && <ErrorState error={error} />}
          <div className="row">
            <button type="submit" data-testid={testIds.requestAccessSubmit} disabled={running || !justification.trim()}>
              {running ? "Sending…" : "Send request"}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
