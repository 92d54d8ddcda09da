import { it } from "vitest";
import { AuditLog } from "../audit-log.js";
import { startTestCluster } from "../test-cluster.js";
import { verifyChain } from "../verify.js";
it("perf", async () => {
  const tc = await startTestCluster();
  try {
    const urls = await tc.auditDatabase("perf");
    const log = new AuditLog(await tc.dataSource(urls.appUrl));
    const ev = (i: number) => ({ action: "CONSULTATION" as const, operation: "search", principal: { sub: "a", org: "KENT", roles: ["X"] }, purpose: "p", requestId: `r${i}`, records: [{ id: `KENT:identity:${i}`, kind: "identity", level: "FULL" as const, reason: "own" }], detail: { q: "x" } });
    for (let i = 0; i < 50; i++) await log.record(ev(i));
    let t = performance.now();
    for (let i = 0; i < 500; i++) await log.record(ev(i));
    console.log("sequential ms/event", ((performance.now() - t) / 500).toFixed(2));
    t = performance.now();
    await Promise.all(Array.from({ length: 500 }, (_, i) => log.record(ev(i))));
    console.log("concurrent events/s", (500 / ((performance.now() - t) / 1000)).toFixed(0));
    t = performance.now();
    console.log(await verifyChain(urls.appUrl), "verify ms", (performance.now() - t).toFixed(0));
  } finally { await tc.stop(); }
}, 120000);
