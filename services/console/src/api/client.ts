/**
 * The one way the console talks to the API: POST /graphql on its own origin, JSON, with the
 * session's bearer token and purpose. Operations are typed by the code generated in src/gql/.
 */
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import { ApiError, type ApiErrorItem } from "./errors";

export interface Credentials {
  token: string;
  purpose: string;
}

/** An answer with data; `errors` are the partial ones (an org that did not answer, a field refused). */
export interface Answer<TData> {
  data: TData;
  errors: ApiErrorItem[];
}

export async function execute<TData, TVariables>(
  document: DocumentTypeDecoration<TData, TVariables>,
  variables: TVariables,
  credentials: Credentials,
  signal?: AbortSignal,
): Promise<Answer<TData>> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        authorization: `Bearer ${credentials.token}`,
        "x-purpose": credentials.purpose,
      },
      body: JSON.stringify({ query: String(document), variables }),
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError("NETWORK_ERROR", "The gateway could not be reached.");
  }
  const body = (await response.json().catch(() => null)) as { data?: TData | null; errors?: ApiErrorItem[] } | null;
  const errors = body?.errors ?? [];
  if (body?.data == null) {
    if (errors[0]) throw ApiError.from(errors[0]);
    throw new ApiError(response.status === 429 ? "RATE_LIMITED" : "INTERNAL", `The gateway answered ${response.status} without data.`);
  }
  return { data: body.data, errors };
}
