// pg ships no type declarations and @types/pg is not a dependency, so this
// module gives the rest of the package a narrow, typed view of the client.
// @ts-ignore
import pg from "pg";

export interface QueryResult<R> {
  rows: R[];
  rowCount: number | null;
}

export interface PgClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  end(): Promise<void>;
  escapeIdentifier(value: string): string;
  escapeLiteral(value: string): string;
  on(event: "error", listener: (err: Error) => void): void;
}

type ClientConstructor = new (config: { connectionString: string }) => PgClient;

export const Client = (pg as { Client: ClientConstructor }).Client;

/** Opens a client, runs `fn`, and always closes the connection. */
export async function withClient<T>(url: string, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  // A server shutting down mid-session emits 'error'; unhandled, that would crash the process.
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
