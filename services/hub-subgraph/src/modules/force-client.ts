import { HUB_SERVICE, signServiceRequest } from "@interforce/auth";
import { loadRegistry, orgPort } from "@interforce/domain";

export interface OnBehalfOf {
  token: string;
  purpose: string;
  requestId: string;
}

export class ForceUnavailable extends Error {
  constructor(readonly org: string, reason: string) {
    super(`${org} did not answer: ${reason}`);
  }
}

/**
 * The hub's calls to a force for answers that span forces. Each call is signed with that
 * force's own secret (the hub holds every force's; a force only its own), for that
 * force, its /internal/hub-query route and this one body, with a fresh nonce, and carries
 * the principal's token, so the force authorises and audits it itself.
 */
export class ForceClient {
  private readonly urls: Record<string, string>;

  constructor(
    /** A force's service secret by org code. */
    private readonly secretOf: (org: string) => string,
    overrides: Record<string, string> = {},
  ) {
    this.urls = Object.fromEntries(loadRegistry().orgs.map((o) => [o.code, overrides[o.code] ?? `http://127.0.0.1:${orgPort(o.code)}`]));
  }

  get orgs(): string[] {
    return Object.keys(this.urls);
  }

  async ask<T>(org: string, op: string, args: Record<string, unknown>, who: OnBehalfOf): Promise<T> {
    const url = this.urls[org];
    if (!url) throw new ForceUnavailable(org, "not in the registry");
    const body = JSON.stringify({ op, token: who.token, purpose: who.purpose, requestId: who.requestId, args });
    let target: URL;
    try {
      target = new URL(`${url}/internal/hub-query`);
    } catch {
      throw new ForceUnavailable(org, "invalid URL");
    }
    const headers = signServiceRequest({
      secret: this.secretOf(org),
      caller: HUB_SERVICE,
      target: org,
      method: "POST",
      path: `${target.pathname}${target.search}`,
      body,
    });
    let res: Response;
    try {
      res = await fetch(target, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "x-request-id": who.requestId },
        body,
        signal: AbortSignal.timeout(5000),
      });
    } catch (e) {
      throw new ForceUnavailable(org, (e as Error).message);
    }
    if (!res.ok) throw new ForceUnavailable(org, `HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  /** Asks every org in parallel; orgs that fail are reported, not fatal. */
  async askAll<T>(orgs: string[], op: string, args: (org: string) => Record<string, unknown> | null, who: OnBehalfOf) {
    const answers = new Map<string, T>();
    const unavailable: string[] = [];
    await Promise.all(
      orgs.map(async (org) => {
        const a = args(org);
        if (a === null) return;
        try {
          answers.set(org, await this.ask<T>(org, op, a, who));
        } catch {
          unavailable.push(org);
        }
      }),
    );
    return { answers, unavailable: unavailable.sort() };
  }
}
