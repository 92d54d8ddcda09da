/** What the API answers when something goes wrong, reduced to what the console shows. */
export interface ApiErrorItem {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; org?: string; [key: string]: unknown };
}

/** A request that failed as a whole (no data): its code is always shown with the message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly org?: string,
  ) {
    super(message);
  }

  static from(item: ApiErrorItem): ApiError {
    return new ApiError(item.extensions?.code ?? "INTERNAL", item.message, item.extensions?.org);
  }
}

/** Codes the API answers with, and what an analyst should do about each. */
const HINTS: Record<string, string> = {
  UNAUTHENTICATED: "Your session has ended or the token was refused: sign out and sign in again.",
  FORBIDDEN: "Your role, org or clearance does not allow this.",
  PURPOSE_REQUIRED: "State the purpose of this session (an operation name or reference).",
  BAD_USER_INPUT: "Check what you entered.",
  NOT_FOUND: "Nothing by that id is visible to you.",
  CONFLICT: "Someone changed this agreement since you loaded it: reload and try again.",
  UNAVAILABLE: "An org did not answer; try again shortly.",
  RATE_LIMITED: "Too many requests: wait a moment and try again.",
  TIMEOUT: "The request took too long; try again or narrow it.",
  INTERNAL: "Something failed on the server; the request id is in its logs.",
  NETWORK_ERROR: "The gateway could not be reached.",
};

export const hintFor = (code: string): string | undefined => HINTS[code];

/** The org an UNAVAILABLE error names: in extensions.org, else the first known org code in its message. */
export function unavailableOrg(item: ApiErrorItem, knownOrgs: readonly string[]): string | undefined {
  if (item.extensions?.code !== "UNAVAILABLE") return undefined;
  if (item.extensions.org) return item.extensions.org;
  return knownOrgs.find((code) => new RegExp(`\\b${code}\\b`).test(item.message));
}
