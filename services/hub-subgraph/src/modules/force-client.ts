import { HUB_SERVICE, signServiceRequest } from "@interforce/auth";
import {
  firstIssue,
  INTERNAL_QUERY_PATH,
  internalQueries,
  type InternalQueryCall,
  type InternalQueryName,
  type InternalQueryRequest,
  type InternalQueryResponse,
} from "@interforce/contracts";
import { loadRegistry, serviceBaseUrl } from "@interforce/domain";

export interface OnBehalfOf {
  token: string;
  purpose: string;
  requestId: string;
}

export class ForceUnavailable extends Error {
  constructor(
    readonly org: string,
    reason: string,
  ) {
    super(`${org} did not answer: ${reason}`);
  }
}

/** The hub's own question broke the contract: nothing was sent. */
export class InvalidInternalQuery extends Error {
  constructor(
    readonly query: InternalQueryName,
    reason: string,
  ) {
    super(`invalid ${query} query: ${reason}`);
  }
}

export interface AskAllResult<R> {
  answers: Map<string, R>;
  /** Orgs that did not answer, or whose answer broke the contract, sorted. */
  unavailable: string[];
}

/**
 * The hub's calls to a force for answers that span forces. Each call is signed with that
 * force's own secret (the hub holds every force's; a force only its own), for that
 * force, its /internal/hub-query route and this one body, with a fresh nonce, and carries
 * the principal's token, so the force authorises and audits it itself. Question and answer
 * are checked against the query's contract (`internalQueries`) on the way out and back in.
 */
export class ForceClient {
  private readonly urls: Record<string, string>;

  constructor(
    /** A force's service secret by org code. */
    private readonly secretOf: (org: string) => string,
    overrides: Record<string, string> = {},
  ) {
    this.urls = Object.fromEntries(loadRegistry().orgs.map((o) => [o.code, overrides[o.code] ?? serviceBaseUrl({ org: o.code })]));
  }

  get orgs(): string[] {
    return Object.keys(this.urls);
  }

  async ask<Q extends InternalQueryName>(org: string, query: Q, args: InternalQueryRequest<Q>, who: OnBehalfOf): Promise<InternalQueryResponse<Q>> {
    const { request, response } = internalQueries[query];
    const checked = request.safeParse(args);
    if (!checked.success) throw new InvalidInternalQuery(query, firstIssue(checked.error));
    const url = this.urls[org];
    if (!url) throw new ForceUnavailable(org, "not in the registry");
    const call: InternalQueryCall<Q> = {
      query,
      token: who.token,
      purpose: who.purpose,
      requestId: who.requestId,
      args: checked.data as InternalQueryRequest<Q>,
    };
    const body = JSON.stringify(call);
    let target: URL;
    try {
      target = new URL(`${url}${INTERNAL_QUERY_PATH}`);
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
    let answer: unknown;
    try {
      answer = await res.json();
    } catch {
      throw new ForceUnavailable(org, "answer is not JSON");
    }
    const parsed = response.safeParse(answer);
    if (!parsed.success) throw new ForceUnavailable(org, `answer to ${query} does not match the contract: ${firstIssue(parsed.error)}`);
    return parsed.data as InternalQueryResponse<Q>;
  }

  /**
   * Asks every org in parallel (an org whose `args` is null is not asked); orgs that fail are
   * reported, not fatal: a force that is down, refuses, or answers outside the contract alike.
   */
  askAll<Q extends InternalQueryName>(
    orgs: string[],
    query: Q,
    args: (org: string) => InternalQueryRequest<Q> | null,
    who: OnBehalfOf,
  ): Promise<AskAllResult<InternalQueryResponse<Q>>>;
  async askAll(
    orgs: string[],
    query: InternalQueryName,
    args: (org: string) => Record<string, unknown> | null,
    who: OnBehalfOf,
  ): Promise<AskAllResult<unknown>> {
    const answers = new Map<string, unknown>();
    const unavailable: string[] = [];
    await Promise.all(
      orgs.map(async (org) => {
        const a = args(org);
        if (a === null) return;
        try {
          // The arguments are checked against the query's schema inside ask.
          answers.set(org, await this.ask(org, query, a as InternalQueryRequest<InternalQueryName>, who));
        } catch {
          unavailable.push(org);
        }
      }),
    );
    return { answers, unavailable: unavailable.sort() };
  }
}
