/** Where the link graph starts when no identity is chosen yet. */
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { graphPath } from "../domain/paths";

export function GraphStartPage() {
  const navigate = useNavigate();
  const [rootId, setRootId] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (rootId.trim()) navigate(graphPath(rootId.trim()));
  };
  return (
    <section>
      <h1>Link graph</h1>
      <form onSubmit={submit} className="row">
        <label className="grow">
          Identity id (from a search hit or an identity page)
          <input value={rootId} onChange={(e) => setRootId(e.target.value)} placeholder="KENT:identity:…" autoFocus />
        </label>
        <button type="submit" disabled={!rootId.trim()}>
          Draw
        </button>
      </form>
    </section>
  );
}
