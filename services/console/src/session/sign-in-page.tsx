/**
 * Sign-in. In development the gateway offers demo principals and mints their tokens; in
 * production a token from the force's identity provider is pasted (an OIDC login plugs in
 * here). Either way the gateway verifies the token and says who it names before anything else.
 */
import { useEffect, useState, type FormEvent } from "react";
import { ApiError } from "../api/errors";
import { fetchDemoPrincipals, fetchMode, mintDemoToken, whoami, type DemoPrincipal, type SessionMode } from "../api/session-endpoints";
import { testIds } from "../testids";
import { ErrorState, Loading } from "../ui/states";
import { useSession } from "./session";

const asApiError = (e: unknown): ApiError => (e instanceof ApiError ? e : new ApiError("INTERNAL", String(e)));

export function SignInPage() {
  const { signIn } = useSession();
  const [mode, setMode] = useState<SessionMode | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetchMode().then(setMode, (e: unknown) => setError(asApiError(e)));
  }, []);

  async function verify(getToken: () => Promise<string>) {
    setBusy(true);
    setError(null);
    try {
      const token = await getToken();
      const { principal, expiresAt } = await whoami(token);
      signIn({ token, principal, expiresAt });
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>Interforce console</h1>
      {!mode && !error && <Loading what="Asking the gateway how to sign in" />}
      {mode === "development" && <DemoPicker busy={busy} onPick={(id) => verify(() => mintDemoToken(id))} onError={setError} />}
      {mode === "production" && <TokenPaste busy={busy} onToken={(token) => verify(async () => token)} />}
      {error && <ErrorState error={error} />}
    </main>
  );
}

function DemoPicker({ busy, onPick, onError }: { busy: boolean; onPick(id: string): void; onError(e: ApiError): void }) {
  const [principals, setPrincipals] = useState<DemoPrincipal[] | null>(null);

  useEffect(() => {
    let current = true;
    fetchDemoPrincipals().then(
      (list) => current && setPrincipals(list),
      (e: unknown) => current && onError(asApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [onError]);

  if (!principals) return <Loading what="Loading demo principals" />;
  // The choice is read from the form when it is sent, so a pick made just before the click is never lost.
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const chosen = new FormData(e.currentTarget).get("principal");
    if (typeof chosen === "string" && chosen) onPick(chosen);
  };
  return (
    <form onSubmit={submit} className="stack">
      <p>Development stack: sign in as one of the demo principals.</p>
      <label>
        Principal
        <select name="principal" data-testid={testIds.principalPicker} defaultValue={principals[0]?.id}>
          {principals.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label} — {p.org}, {p.roles.join(", ")}, {p.clearance}
              {p.covert ? ", covert" : ""}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid={testIds.signInButton} disabled={busy || principals.length === 0}>
        Sign in
      </button>
    </form>
  );
}

function TokenPaste({ busy, onToken }: { busy: boolean; onToken(token: string): void }) {
  const [token, setToken] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) onToken(token.trim());
  };
  return (
    <form onSubmit={submit} className="stack">
      <p>Paste the access token your force's identity provider issued you. (A single sign-on login through the force's OIDC provider plugs in here.)</p>
      <label>
        Access token
        <textarea data-testid={testIds.tokenInput} value={token} onChange={(e) => setToken(e.target.value)} rows={6} spellCheck={false} autoComplete="off" />
      </label>
      <button type="submit" data-testid={testIds.signInButton} disabled={busy || !token.trim()}>
        Sign in
      </button>
    </form>
  );
}
