/** The gateway's session endpoints under /console/session (see the console contract). */
import { ApiError, type ApiErrorItem } from "./errors";

export type SessionMode = "development" | "production";

export interface VerifiedPrincipal {
  sub: string;
  org: string;
  roles: string[];
  clearance: string;
  covert: boolean;
}

export interface DemoPrincipal extends VerifiedPrincipal {
  id: string;
  label: string;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/console/session/${path}`, init);
  } catch {
    throw new ApiError("NETWORK_ERROR", "The gateway could not be reached.");
  }
  const body = (await response.json().catch(() => null)) as (T & { errors?: ApiErrorItem[] }) | null;
  if (!response.ok || body === null) {
    const first = body?.errors?.[0];
    throw first ? ApiError.from(first) : new ApiError(response.status === 404 ? "NOT_FOUND" : "INTERNAL", `${path}: HTTP ${response.status}`);
  }
  return body;
}

export const fetchMode = async (): Promise<SessionMode> => (await call<{ mode: SessionMode }>("mode")).mode;

export const fetchDemoPrincipals = async (): Promise<DemoPrincipal[]> => (await call<{ principals: DemoPrincipal[] }>("principals")).principals;

export const mintDemoToken = async (id: string): Promise<string> =>
  (await call<{ token: string }>("token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id }) })).token;

export const whoami = (token: string): Promise<{ principal: VerifiedPrincipal; expiresAt: string }> =>
  call("whoami", { headers: { authorization: `Bearer ${token}` } });
