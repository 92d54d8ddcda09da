// The image's HEALTHCHECK: GET /health on the service's own port (PORT, else the registry's port
// for this service), exit 0 when it answers 200.
import { readFileSync } from "node:fs";

function port() {
  if (process.env.PORT) return Number(process.env.PORT);
  const registry = JSON.parse(readFileSync(new URL("../orgs.json", import.meta.url), "utf8"));
  if (process.env.SERVICE === "gateway") return registry.gateway.port;
  if (process.env.SERVICE === "hub-subgraph") return registry.hub.port;
  return registry.orgs.find((o) => o.code === process.env.INTERFORCE_ORG)?.port;
}

try {
  const res = await fetch(`http://127.0.0.1:${port()}/health`, { signal: AbortSignal.timeout(2500) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
