import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Ajv, type ValidateFunction } from "ajv";
import { ConfigMap, Namespace, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { parse, parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, loadRegistry, type OrgRegistry } from "@interforce/domain";
import { GATEWAY_NAMESPACE, HUB_NAMESPACE, forceNamespace, generateDeployment, staleFiles } from "./generate.js";

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> } & Record<string, unknown>;

const exec = promisify(execFile);
const DEPLOY_DIR = join(REPO_ROOT, "infra/deploy");
const TSX = join(REPO_ROOT, "node_modules/.bin/tsx");

/** The Kubernetes model (its official OpenAPI schema) for each built-in kind the generator writes. */
function k8sModel(m: Manifest): { validate(): void } | undefined {
  const key = `${m.apiVersion}/${m.kind}`;
  switch (key) {
    case "v1/Namespace":
      return new Namespace(m as never);
    case "v1/ConfigMap":
      return new ConfigMap(m as never);
    case "v1/Service":
      return new Service(m as never);
    case "apps/v1/Deployment":
      return new Deployment(m as never);
    case "autoscaling/v2/HorizontalPodAutoscaler":
      return new HorizontalPodAutoscaler(m as never);
    case "networking.k8s.io/v1/NetworkPolicy":
      return new NetworkPolicy(m as never);
    case "policy/v1/PodDisruptionBudget":
      return new PodDisruptionBudget(m as never);
    default:
      return undefined;
  }
}

/**
 * The CloudNativePG Cluster CRD's own schema (vendored, v1.29.2). The API server prunes fields a
 * structural schema does not declare, so a misspelt field would be dropped silently: here every
 * object that declares its properties and does not preserve unknown fields refuses others.
 * (`x-kubernetes-validations` CEL rules are the API server's and are not evaluated here.)
 */
function cnpgClusterValidator(): ValidateFunction {
  const crd = parse(readFileSync(join(DEPLOY_DIR, "crd/postgresql.cnpg.io_clusters.yaml"), "utf8")) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
  };
  const schema = crd.spec.versions.find((v) => v.name === "v1")!.schema.openAPIV3Schema;
  const strict = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(strict);
    const o = node as Record<string, unknown>;
    if (o.properties && o.additionalProperties === undefined && !o["x-kubernetes-preserve-unknown-fields"]) o.additionalProperties = false;
    Object.values(o).forEach(strict);
  };
  strict(schema.properties);
  const ajv = new Ajv({ allErrors: true, strict: false, formats: { int32: true, int64: true, "date-time": true } });
  return ajv.compile(schema);
}

/** Every problem with one manifest, as text: empty when it validates. */
function validationErrors(m: Manifest, cluster: ValidateFunction): string[] {
  if (m.apiVersion === "postgresql.cnpg.io/v1" && m.kind === "Cluster") {
    const name = m.metadata.name;
    return cluster(m) ? [] : (cluster.errors ?? []).map((e) => `Cluster ${name}: ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }
  const model = k8sModel(m);
  if (!model) return [`${m.apiVersion} ${m.kind} ${m.metadata?.name}: no schema to validate it against`];
  try {
    model.validate();
    return [];
  } catch (e) {
    return [`${m.kind} ${m.metadata.name}: ${(e as Error).message}`];
  }
}

function manifestsOf(files: Map<string, string>): Manifest[] {
  return [...files]
    .filter(([path]) => path.startsWith("k8s/"))
    .flatMap(([path, text]) =>
      parseAllDocuments(text).map((d) => {
        expect(d.errors, path).toEqual([]);
        return d.toJS() as Manifest;
      }),
    );
}

const find = (ms: Manifest[], kind: string, namespace: string, name?: string) =>
  ms.filter((m) => m.kind === kind && m.metadata.namespace === namespace && (!name || m.metadata.name === name));

type Container = { name: string; env?: { name: string; value?: string; valueFrom?: unknown }[] };
const containersOf = (d: Manifest) => {
  const spec = (d.spec as { template: { spec: { containers: Container[]; initContainers?: Container[] } } }).template.spec;
  return [...spec.containers, ...(spec.initContainers ?? [])];
};

/** Env vars whose names say they hold a secret, with a literal value that is not built only from `$(VAR)` references. */
function inlineSecrets(ms: Manifest[]): string[] {
  const out: string[] = [];
  for (const m of ms) {
    if (m.kind === "Secret") out.push(`Secret ${m.metadata.namespace}/${m.metadata.name}`);
    if (m.kind !== "Deployment") continue;
    for (const c of containersOf(m)) {
      for (const e of c.env ?? []) {
        if (e.value === undefined || !/SECRET|PASSWORD|KEYS|DATABASE_URL/.test(e.name)) continue;
        // A URL or pair list may hold `$(VAR)` references to env vars from Secrets, never a secret itself.
        const literal = e.value
          .replace(/\$\([A-Z0-9_]+\)/g, "")
          .replace(/postgres:\/\/:@[a-z0-9.-]+:\d+\/[a-z0-9_]+/g, "")
          .replace(/(^|,)[A-Za-z0-9_]+=(?=,|$)/g, "");
        if (literal.replace(/,/g, "") !== "") out.push(`${m.metadata.namespace}/${c.name} ${e.name}=${e.value}`);
      }
    }
  }
  return out;
}

/** The 4 real orgs and 39 more, as the registry benchmark makes a national one. */
function nationalRegistry(base: OrgRegistry): OrgRegistry {
  const extra = Array.from({ length: 39 }, (_, i) => {
    const code = `FORCE_${String(i + 1).padStart(2, "0")}`;
    return {
      code,
      name: `Force ${i + 1} Police`,
      typePrefix: `Force${String(i + 1).padStart(2, "0")}`,
      port: 2701 + i,
      spoc: { name: `Force ${i + 1} SPOC`, email: `spoc@force-${i + 1}.police.example`, phone: `01632 000 ${String(200 + i)}` },
    };
  });
  return { ...base, orgs: [...base.orgs, ...extra] };
}

function checkFederation(reg: OrgRegistry, ms: Manifest[]): void {
  for (const org of reg.orgs) {
    const ns = forceNamespace(org.code);
    expect(
      find(ms, "Namespace", undefined as never).some((m) => m.metadata.name === ns),
      `${org.code} namespace`,
    ).toBe(true);
    expect(find(ms, "Deployment", ns, "force-subgraph"), `${org.code} Deployment`).toHaveLength(1);
    expect(find(ms, "Service", ns, "force-subgraph"), `${org.code} Service`).toHaveLength(1);
    expect(find(ms, "Cluster", ns), `${org.code} Cluster`).toHaveLength(1);
    const policy = find(ms, "NetworkPolicy", ns, "force-subgraph-ingress")[0];
    expect(policy, `${org.code} NetworkPolicy`).toBeDefined();
    // Only the gateway's and the hub's namespaces, on the subgraph's port.
    const from = (policy!.spec as { ingress: { from: { namespaceSelector: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[] }).ingress;
    expect(from).toHaveLength(1);
    expect(from[0]!.from.map((f) => f.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).sort()).toEqual([GATEWAY_NAMESPACE, HUB_NAMESPACE].sort());
    expect(from[0]!.ports).toEqual([{ protocol: "TCP", port: org.port }]);
    const env = Object.fromEntries((containersOf(find(ms, "Deployment", ns)[0]!)[0]!.env ?? []).map((e) => [e.name, e.value]));
    expect(env.INTERFORCE_ORG).toBe(org.code);
    expect(env.INTERFORCE_MODE).toBe("production");
    expect(env.HOST).toBe("0.0.0.0");
    expect(env.PORT).toBe(String(org.port));
  }
  const gateway = find(ms, "Deployment", GATEWAY_NAMESPACE, "gateway")[0]!;
  expect((gateway.spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
  const hpa = find(ms, "HorizontalPodAutoscaler", GATEWAY_NAMESPACE)[0]!;
  expect((hpa.spec as { minReplicas: number; scaleTargetRef: { name: string } }).minReplicas).toBeGreaterThanOrEqual(2);
  expect((hpa.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name).toBe("gateway");
  expect(find(ms, "PodDisruptionBudget", GATEWAY_NAMESPACE)).toHaveLength(1);
  expect(find(ms, "Cluster", GATEWAY_NAMESPACE)).toHaveLength(1);
  expect(find(ms, "Cluster", HUB_NAMESPACE)).toHaveLength(1);
  const gatewayEnv = Object.fromEntries((containersOf(gateway)[0]!.env ?? []).map((e) => [e.name, e.value]));
  const names = (list: string) => list.split(",").map((p) => p.split("=")[0]);
  const expected = ["hub", ...reg.orgs.map((o) => o.code.toLowerCase())];
  expect(names(gatewayEnv.SUBGRAPH_URLS!)).toEqual(expected);
  expect(names(gatewayEnv.SUBGRAPH_SECRETS!)).toEqual(expected);
  const hubEnv = Object.fromEntries((containersOf(find(ms, "Deployment", HUB_NAMESPACE)[0]!)[0]!.env ?? []).map((e) => [e.name, e.value]));
  expect(names(hubEnv.FORCE_URLS!)).toEqual(reg.orgs.map((o) => o.code));
  expect(names(hubEnv.SERVICE_SECRETS!)).toEqual(reg.orgs.map((o) => o.code));
}

describe("deployment generator", () => {
  const registry = loadRegistry();
  let files: Map<string, string>;
  let manifests: Manifest[];
  let cluster: ValidateFunction;

  beforeAll(async () => {
    files = await generateDeployment(registry);
    manifests = manifestsOf(files);
    cluster = cnpgClusterValidator();
  });

  it("writes manifests that validate against the Kubernetes schemas and the CloudNativePG Cluster CRD", () => {
    expect(manifests.length).toBeGreaterThan(0);
    expect(manifests.flatMap((m) => validationErrors(m, cluster))).toEqual([]);
    expect(new Set(manifests.map((m) => m.kind))).toEqual(
      new Set(["Namespace", "ConfigMap", "Cluster", "Deployment", "Service", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget"]),
    );
  });

  it("the validators refuse a wrong manifest", () => {
    const deployment = structuredClone(find(manifests, "Deployment", GATEWAY_NAMESPACE)[0]!);
    (deployment.spec as { replicas: unknown }).replicas = "two";
    expect(validationErrors(deployment, cluster)).not.toEqual([]);
    const db = structuredClone(find(manifests, "Cluster", HUB_NAMESPACE)[0]!);
    (db.spec as Record<string, unknown>).instance = 3; // misspelt: the API server would drop it
    expect(validationErrors(db, cluster)).not.toEqual([]);
    const wrongType = structuredClone(db);
    (wrongType.spec as Record<string, unknown>).instances = "three";
    expect(validationErrors(wrongType, cluster)).not.toEqual([]);
  });

  it("gives every org its namespace, Deployment, Service, CloudNativePG Cluster and NetworkPolicy; the gateway ≥2 replicas, an HPA and a PDB", () => {
    checkFederation(registry, manifests);
  });

  it("puts no secret value in a manifest: Secrets are referenced, never written", () => {
    expect(inlineSecrets(manifests)).toEqual([]);
    const refs = manifests
      .filter((m) => m.kind === "Deployment")
      .flatMap(containersOf)
      .flatMap((c) => c.env ?? [])
      .filter((e) => /SECRET|PASSWORD/.test(e.name) && e.valueFrom);
    expect(refs.length).toBeGreaterThan(0);
    // The check itself catches a literal.
    const leaked = structuredClone(find(manifests, "Deployment", forceNamespace(registry.orgs[0]!.code))[0]!);
    containersOf(leaked)[0]!.env!.push({ name: "SERVICE_SECRET", value: "0123456789abcdef0123456789abcdef" });
    expect(inlineSecrets([leaked])).toHaveLength(1);
    const url = structuredClone(leaked);
    containersOf(url)[0]!.env = [{ name: "DATABASE_URL", value: "postgres://kent:hunter2@kent-db-rw:5432/interforce_kent" }];
    expect(inlineSecrets([url])).toHaveLength(1);
    // Compose reads secrets from files (env_file, secrets:), never from literal values.
    const compose = parse(files.get("compose.yaml")!) as { services: Record<string, { environment?: Record<string, string> }> };
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (/SECRET|PASSWORD(?!_FILE)|DATABASE_URL/.test(k)) throw new Error(`compose ${name} sets ${k}=${v} inline`);
      }
    }
  });

  it("writes a Compose file with a subgraph and a PostgreSQL per force, the hub's, and two gateway replicas with their shared PostgreSQL", () => {
    const compose = parse(files.get("compose.yaml")!) as { services: Record<string, { deploy?: { replicas?: number }; env_file?: string[] }> };
    for (const org of registry.orgs) {
      const name = org.code.toLowerCase().replaceAll("_", "-");
      expect(compose.services[name], org.code).toBeDefined();
      expect(compose.services[`${name}-db`], `${org.code} database`).toBeDefined();
    }
    expect(compose.services["hub-db"]).toBeDefined();
    expect(compose.services["gateway-db"]).toBeDefined();
    expect(compose.services.gateway!.deploy?.replicas).toBe(2);
  });

  it("scales to a 43-org registry given by INTERFORCE_REGISTRY", async () => {
    const work = mkdtempSync(join(tmpdir(), "interforce-deploy-"));
    try {
      const national = nationalRegistry(registry);
      writeFileSync(join(work, "orgs-43.json"), JSON.stringify(national));
      await exec(TSX, [join(DEPLOY_DIR, "generate.ts"), "--write", "--out", join(work, "out")], {
        cwd: REPO_ROOT,
        env: { ...process.env, INTERFORCE_REGISTRY: join(work, "orgs-43.json") },
      });
      const written = new Map(readdirSync(join(work, "out/k8s")).map((f) => [`k8s/${f}`, readFileSync(join(work, "out/k8s", f), "utf8")]));
      expect(written.size).toBe(43 + 2);
      const ms = manifestsOf(written);
      expect(ms.flatMap((m) => validationErrors(m, cluster))).toEqual([]);
      checkFederation(national, ms);
      expect(inlineSecrets(ms)).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  describe("checked-in files", () => {
    let work: string;
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), "interforce-deploy-check-"));
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it("are what the registry produces (npm run deploy:check)", async () => {
      expect(staleFiles(DEPLOY_DIR, files)).toEqual([]);
      const { stdout } = await exec(TSX, [join(DEPLOY_DIR, "generate.ts"), "--check"], { cwd: REPO_ROOT });
      expect(stdout).toContain("up to date");
    });

    it("--check fails on a stale or leftover file", async () => {
      await exec(TSX, [join(DEPLOY_DIR, "generate.ts"), "--write", "--out", work], { cwd: REPO_ROOT });
      await exec(TSX, [join(DEPLOY_DIR, "generate.ts"), "--check", "--out", work], { cwd: REPO_ROOT });
      writeFileSync(join(work, "k8s/force-gone.yaml"), "kind: Namespace\n");
      await expect(exec(TSX, [join(DEPLOY_DIR, "generate.ts"), "--check", "--out", work], { cwd: REPO_ROOT })).rejects.toMatchObject({ code: 1 });
    });
  });
});
