import { z } from "zod";
import { hubPort } from "@interforce/domain";

const Env = z.object({
  PORT: z.coerce.number().int().positive().optional(),
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL"),
});

export interface HubConfig {
  port: number;
  databaseUrl: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`hub subgraph: invalid configuration\n${lines}`);
  }
  return { port: parsed.data.PORT ?? hubPort(), databaseUrl: parsed.data.DATABASE_URL };
}
