/**
 * GraphiQL for development (/graphiql), bundled: no CDN, no worker from another origin. Every
 * request goes to /graphql with the token and purpose entered above the editor.
 */
import type { Fetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { StrictMode, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { PURPOSE_KEY, SESSION_KEY } from "../session/storage";
import "./graphiql.css";

/** The console's session in this tab, if any. */
function consoleSession(): { token: string; purpose: string } {
  const stored = sessionStorage.getItem(SESSION_KEY);
  return { token: stored ? (JSON.parse(stored) as { token: string }).token : "", purpose: sessionStorage.getItem(PURPOSE_KEY) ?? "" };
}

function Playground() {
  const initial = consoleSession();
  const [token, setToken] = useState(initial.token);
  const [purpose, setPurpose] = useState(initial.purpose);

  const fetcher = useMemo<Fetcher>(
    () => async (params, options) => {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: {
          ...options?.headers,
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          ...(token && { authorization: `Bearer ${token}` }),
          ...(purpose && { "x-purpose": purpose }),
        },
        body: JSON.stringify(params),
      });
      return response.json();
    },
    [token, purpose],
  );

  return (
    <div className="playground">
      <form className="credentials" onSubmit={(e) => e.preventDefault()}>
        <label>
          authorization: Bearer
          <input value={token} onChange={(e) => setToken(e.target.value.trim())} placeholder="token (npm run -s token)" spellCheck={false} autoComplete="off" />
        </label>
        <label>
          x-purpose
          <input value={purpose} onChange={(e) => setPurpose(e.target.value)} placeholder="e.g. Op KESTREL 24/1234" />
        </label>
      </form>
      <GraphiQL fetcher={fetcher} />
    </div>
  );
}

createRoot(document.getElementById("graphiql")!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
