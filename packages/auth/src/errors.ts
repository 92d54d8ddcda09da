/**
 * A rejected credential. `reason` is deliberately coarse and safe to return to a client;
 * anything more specific (library messages, key ids we hold) stays in `cause` for server logs.
 */
export class AuthError extends Error {
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = "AuthError";
    this.reason = reason;
  }
}
