import pg from "pg";

export type PgClient = pg.Client;

/** Opens a client, runs `fn`, and always closes the connection. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A server shutting down mid-session emits 'error'; unhandled, that would crash the process.
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
