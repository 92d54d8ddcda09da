/**
 * Writes the deployment of the whole federation from the org registry: a Compose file for one
 * host and Kubernetes manifests for a cluster, with one subgraph and one PostgreSQL per force.
 *   --write   write infra/deploy/compose.yaml and infra/deploy/k8s/*.yaml
 *   --check   fail when the checked-in files differ from what the registry produces
 * INTERFORCE_REGISTRY names another registry (e.g. a 43-force one), as for every other command.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { format, resolveConfig } from "prettier";
import { stringify } from "yaml";
import { REPO_ROOT, loadRegistry, orgDatabaseName, subgraphName, type OrgEntry, type OrgRegistry } from "@interforce/domain";

const USAGE = `usage: tsx infra/deploy/generate.ts (--write | --check) [--out DIR]
  --write     write compose.yaml and k8s/*.yaml from the org registry (INTERFORCE_REGISTRY or infra/orgs.json)
  --check     exit 1 if the files differ from what the registry produces
  --out DIR   use DIR instead of the repository's infra/deploy/`;

/** Every image is built from infra/deploy/Dockerfile, one target per service; the tag is the release's. */
export const IMAGE_TAG = "0.1.0";
export const image = (target: "force-subgraph" | "hub-subgraph" | "gateway" | "migrate") => `interforce/${target}:${IMAGE_TAG}`;
/** CloudNativePG's PostgreSQL image; the same major as the embedded development cluster. */
export const POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:17.6";
/** The official image for Compose (CloudNativePG's image needs its operator). */
export const COMPOSE_POSTGRES_IMAGE = "postgres:17.6-bookworm";
export const NGINX_IMAGE = "nginx:1.28.0-alpine";
/** The `node` user of the official Node.js image the runtime stage starts from. */
const RUN_AS_UID = 1000;

// ---------------------------------------------------------------------------------------------
// Names. Org codes may hold `_`; Kubernetes names are DNS labels.

export const k8sName = (code: string) => code.toLowerCase().replaceAll("_", "-");
export const forceNamespace = (code: string) => `interforce-${k8sName(code)}`;
export const HUB_NAMESPACE = "interforce-hub";
export const GATEWAY_NAMESPACE = "interforce-gateway";
/** The label every namespace of the federation carries, so NetworkPolicies can name them by role. */
export const ROLE_LABEL = "interforce.police.uk/role";
const GATEWAY_DATABASE = "interforce_gateway";
const ownerRole = (database: string) => `${database}_owner`;

/** Where one database lives, and which Secrets hold its logins. */
interface DatabasePlan {
  cluster: string;
  namespace: string;
  database: string;
  owner: string;
  /** The service's own login (DML only); the gateway's shared state has none: it uses the owner. */
  app?: string;
  ctype?: string;
}

const forceDb = (org: OrgEntry): DatabasePlan => {
  const database = orgDatabaseName(org.code);
  return { cluster: `${k8sName(org.code)}-db`, namespace: forceNamespace(org.code), database, owner: ownerRole(database), app: database };
};
const hubDb = (reg: OrgRegistry): DatabasePlan => ({
  cluster: "hub-db",
  namespace: HUB_NAMESPACE,
  database: reg.hub.database,
  owner: ownerRole(reg.hub.database),
  app: reg.hub.database,
  // pg_trgm counts only the ctype's letters as word characters; the hub's keyed trigram letters are CJK and Hangul.
  ctype: "C.UTF-8",
});
const gatewayDb = (): DatabasePlan => ({ cluster: "gateway-db", namespace: GATEWAY_NAMESPACE, database: GATEWAY_DATABASE, owner: ownerRole(GATEWAY_DATABASE) });

export const forceServiceHost = (code: string) => `force-subgraph.${forceNamespace(code)}.svc`;
export const HUB_HOST = `hub.${HUB_NAMESPACE}.svc`;
export const GATEWAY_HOST = `gateway.${GATEWAY_NAMESPACE}.svc`;

// ---------------------------------------------------------------------------------------------
// Kubernetes

type Obj = Record<string, unknown>;
interface Doc {
  comment?: string;
  body: Obj;
}

type EnvVar =
  | { name: string; value: string }
  | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } | { configMapKeyRef: { name: string; key: string } } };
const secretEnv = (name: string, secret: string, key: string): EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
const configEnv = (name: string, key: string): EnvVar => ({ name, valueFrom: { configMapKeyRef: { name: IDENTITY_CONFIG, key } } });

/** Non-secret settings every namespace needs: the identity provider. Edit them per installation. */
const IDENTITY_CONFIG = "interforce-identity";
const identityConfig = (namespace: string): Doc => ({
  comment: "The identity provider every service verifies tokens against; set these for the installation (no secrets here).",
  body: {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: IDENTITY_CONFIG, namespace },
    data: {
      JWKS_URL: "https://identity.interforce.example/.well-known/jwks.json",
      JWT_ISSUER: "https://identity.interforce.example/",
      // Traces: "otlp" with the collector's endpoint below, or "none".
      OTEL_TRACES_EXPORTER: "none",
      OTEL_EXPORTER_OTLP_ENDPOINT: "",
    },
  },
});

const namespaceDoc = (name: string, role: "force" | "hub" | "gateway", org?: string): Doc => ({
  body: {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: { [ROLE_LABEL]: role, ...(org ? { "interforce.police.uk/org": org } : {}) } },
  },
});

/**
 * The database's login as env vars, then the URL built from them: Kubernetes expands `$(VAR)`
 * from variables defined earlier in the list, so the password stays in its Secret. The
 * passwords must be URL-safe (hex, as the README's commands make them).
 */
function databaseEnv(db: DatabasePlan, as: "app" | "owner", urlVar: string): EnvVar[] {
  const secret = `${db.cluster}-${as}`;
  const prefix = as === "app" ? "DB" : "DB_OWNER";
  return [
    secretEnv(`${prefix}_USER`, secret, "username"),
    secretEnv(`${prefix}_PASSWORD`, secret, "password"),
    { name: urlVar, value: `postgres://$(${prefix}_USER):$(${prefix}_PASSWORD)@${db.cluster}-rw.${db.namespace}.svc:5432/${db.database}` },
  ];
}

const commonEnv = (port: number): EnvVar[] => [
  { name: "INTERFORCE_MODE", value: "production" },
  { name: "HOST", value: "0.0.0.0" },
  { name: "PORT", value: String(port) },
  configEnv("JWKS_URL", "JWKS_URL"),
  configEnv("JWT_ISSUER", "JWT_ISSUER"),
  configEnv("OTEL_TRACES_EXPORTER", "OTEL_TRACES_EXPORTER"),
  configEnv("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
];

const hardened = {
  runAsNonRoot: true,
  runAsUser: RUN_AS_UID,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};

interface WorkloadSpec {
  name: string;
  namespace: string;
  app: string;
  image: string;
  port: number;
  replicas: number;
  env: EnvVar[];
  initContainers?: Obj[];
  resources: { cpu: string; memory: string; memoryLimit: string };
}

function deployment(w: WorkloadSpec): Doc {
  const labels = { "app.kubernetes.io/name": w.app, "app.kubernetes.io/part-of": "interforce" };
  return {
    body: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: w.name, namespace: w.namespace, labels },
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: { "app.kubernetes.io/name": w.app } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels,
            annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(w.port), "prometheus.io/path": "/metrics" },
          },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: RUN_AS_UID, runAsGroup: RUN_AS_UID, seccompProfile: { type: "RuntimeDefault" } },
            // SIGTERM drains: the service stops accepting, finishes what is in flight, closes its pools.
            terminationGracePeriodSeconds: 30,
            ...(w.initContainers ? { initContainers: w.initContainers } : {}),
            containers: [
              {
                name: w.app,
                image: w.image,
                ports: [{ name: "http", containerPort: w.port, protocol: "TCP" }],
                env: w.env,
                readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5, failureThreshold: 3 },
                livenessProbe: { httpGet: { path: "/health", port: "http" }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
                resources: { requests: { cpu: w.resources.cpu, memory: w.resources.memory }, limits: { memory: w.resources.memoryLimit } },
                securityContext: hardened,
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
  };
}

/** Runs the pending migrations as the database owner before the service starts (the service's own role has no DDL rights). */
function migrateInit(db: DatabasePlan, env: EnvVar[]): Obj {
  return {
    name: "migrate",
    image: image("migrate"),
    env: [{ name: "INTERFORCE_MODE", value: "production" }, ...env, ...databaseEnv(db, "owner", "MIGRATION_DATABASE_URL")],
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    securityContext: hardened,
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
}

const service = (name: string, namespace: string, app: string, port: number): Doc => ({
  body: {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels: { "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "interforce" } },
    spec: { selector: { "app.kubernetes.io/name": app }, ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }] },
  },
});

/**
 * A CloudNativePG cluster of three instances. The owner's login comes from the Secret named by
 * `bootstrap.initdb.secret`; the service's own login (DML only, through default privileges on
 * what migrations create) is created without a password at init and given its login and
 * password by `managed.roles` from its Secret, so no password is in the manifest.
 */
function cnpgCluster(db: DatabasePlan): Doc {
  const sql = [
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    `REVOKE CONNECT, TEMPORARY ON DATABASE ${db.database} FROM PUBLIC`,
    `GRANT CONNECT ON DATABASE ${db.database} TO ${db.owner}`,
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
  ];
  if (db.app) {
    sql.push(
      `CREATE ROLE ${db.app} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`,
      `GRANT CONNECT ON DATABASE ${db.database} TO ${db.app}`,
      `GRANT USAGE ON SCHEMA public TO ${db.app}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${db.owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${db.app}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${db.owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${db.app}`,
    );
  }
  return {
    body: {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: db.cluster, namespace: db.namespace },
      spec: {
        instances: 3,
        imageName: POSTGRES_IMAGE,
        primaryUpdateStrategy: "unsupervised",
        enableSuperuserAccess: false,
        storage: { size: "20Gi" },
        bootstrap: {
          initdb: {
            database: db.database,
            owner: db.owner,
            secret: { name: `${db.cluster}-owner` },
            ...(db.ctype ? { localeCollate: "C", localeCType: db.ctype } : {}),
            postInitApplicationSQL: sql,
          },
        },
        ...(db.app
          ? {
              managed: {
                roles: [
                  {
                    name: db.app,
                    ensure: "present",
                    login: true,
                    superuser: false,
                    createdb: false,
                    createrole: false,
                    passwordSecret: { name: `${db.cluster}-app` },
                  },
                ],
              },
            }
          : {}),
      },
    },
  };
}

const fromNamespaces = (...names: string[]) => names.map((n) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } } }));

/** Only the namespace's own service (and the cluster's instances and the operator) reach its database. */
function databasePolicy(db: DatabasePlan, app: string): Doc {
  return {
    comment: `${db.cluster}: reached by ${app} on 5432, by its own instances (replication) and by the CloudNativePG operator (cnpg-system) on its status port.`,
    body: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `${db.cluster}-ingress`, namespace: db.namespace },
      spec: {
        podSelector: { matchLabels: { "cnpg.io/cluster": db.cluster } },
        policyTypes: ["Ingress"],
        ingress: [
          { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": app } } }], ports: [{ protocol: "TCP", port: 5432 }] },
          { from: [{ podSelector: { matchLabels: { "cnpg.io/cluster": db.cluster } } }] },
          { from: fromNamespaces("cnpg-system"), ports: [{ protocol: "TCP", port: 8000 }] },
        ],
      },
    },
  };
}

function forceDocs(reg: OrgRegistry, org: OrgEntry): Doc[] {
  const ns = forceNamespace(org.code);
  const db = forceDb(org);
  const secrets = "interforce-force";
  return [
    namespaceDoc(ns, "force", org.code),
    identityConfig(ns),
    cnpgCluster(db),
    deployment({
      name: "force-subgraph",
      namespace: ns,
      app: "force-subgraph",
      image: image("force-subgraph"),
      port: org.port,
      replicas: 2,
      initContainers: [
        migrateInit(db, [
          { name: "SERVICE", value: "force-subgraph" },
          { name: "INTERFORCE_ORG", value: org.code },
        ]),
      ],
      env: [
        ...commonEnv(org.port),
        { name: "INTERFORCE_ORG", value: org.code },
        { name: "HUB_URL", value: `http://${HUB_HOST}:${reg.hub.port}` },
        ...databaseEnv(db, "app", "DATABASE_URL"),
        secretEnv("SERVICE_SECRET", secrets, "service-secret"),
        secretEnv("GATEWAY_SECRET", secrets, "gateway-secret"),
      ],
      resources: { cpu: "250m", memory: "256Mi", memoryLimit: "768Mi" },
    }),
    service("force-subgraph", ns, "force-subgraph", org.port),
    {
      comment: [
        `Only the gateway (its GraphQL) and the hub (its signed /internal/hub-query route) reach ${org.code}'s subgraph.`,
        "Both are on the same port and a NetworkPolicy sees ports, not paths: the path is enforced by the subgraph itself,",
        "which admits GraphQL only with the gateway's signature and the internal route only with the hub's.",
        "Metrics are scraped on this port too: add the monitoring namespace here if Prometheus runs in-cluster.",
      ].join("\n"),
      body: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "force-subgraph-ingress", namespace: ns },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "force-subgraph" } },
          policyTypes: ["Ingress"],
          ingress: [{ from: fromNamespaces(GATEWAY_NAMESPACE, HUB_NAMESPACE), ports: [{ protocol: "TCP", port: org.port }] }],
        },
      },
    },
    databasePolicy(db, "force-subgraph"),
  ];
}

function hubDocs(reg: OrgRegistry): Doc[] {
  const ns = HUB_NAMESPACE;
  const db = hubDb(reg);
  const secrets = "interforce-hub";
  const orgs = reg.orgs;
  const serviceSecretVar = (o: OrgEntry) => `SERVICE_SECRET_${o.code}`;
  return [
    namespaceDoc(ns, "hub"),
    identityConfig(ns),
    cnpgCluster(db),
    deployment({
      name: "hub-subgraph",
      namespace: ns,
      app: "hub-subgraph",
      image: image("hub-subgraph"),
      port: reg.hub.port,
      replicas: 2,
      initContainers: [migrateInit(db, [{ name: "SERVICE", value: "hub-subgraph" }, secretEnv("SELECTOR_KEYS", secrets, "selector-keys")])],
      env: [
        ...commonEnv(reg.hub.port),
        ...databaseEnv(db, "app", "DATABASE_URL"),
        { name: "FORCE_URLS", value: orgs.map((o) => `${o.code}=http://${forceServiceHost(o.code)}:${o.port}`).join(",") },
        ...orgs.map((o) => secretEnv(serviceSecretVar(o), secrets, `service-secret-${k8sName(o.code)}`)),
        { name: "SERVICE_SECRETS", value: orgs.map((o) => `${o.code}=$(${serviceSecretVar(o)})`).join(",") },
        secretEnv("GATEWAY_SECRET", secrets, "gateway-secret"),
        secretEnv("SELECTOR_KEYS", secrets, "selector-keys"),
      ],
      resources: { cpu: "250m", memory: "256Mi", memoryLimit: "768Mi" },
    }),
    service("hub", ns, "hub-subgraph", reg.hub.port),
    {
      comment: "The gateway (GraphQL) and every force (agreements and the selector index, signed) reach the hub; nothing else.",
      body: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "hub-subgraph-ingress", namespace: ns },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "hub-subgraph" } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [...fromNamespaces(GATEWAY_NAMESPACE), { namespaceSelector: { matchLabels: { [ROLE_LABEL]: "force" } } }],
              ports: [{ protocol: "TCP", port: reg.hub.port }],
            },
          ],
        },
      },
    },
    databasePolicy(db, "hub-subgraph"),
  ];
}

function gatewayDocs(reg: OrgRegistry): Doc[] {
  const ns = GATEWAY_NAMESPACE;
  const db = gatewayDb();
  const secrets = "interforce-gateway";
  const subgraphs = [
    { name: "hub", key: "hub", url: `http://${HUB_HOST}:${reg.hub.port}/graphql` },
    ...reg.orgs.map((o) => ({ name: subgraphName(o.code), key: k8sName(o.code), url: `http://${forceServiceHost(o.code)}:${o.port}/graphql` })),
  ];
  const secretVar = (s: { name: string }) => `SUBGRAPH_SECRET_${s.name.toUpperCase()}`;
  return [
    namespaceDoc(ns, "gateway"),
    identityConfig(ns),
    cnpgCluster(db),
    deployment({
      name: "gateway",
      namespace: ns,
      app: "gateway",
      image: image("gateway"),
      port: reg.gateway.port,
      replicas: 2,
      env: [
        ...commonEnv(reg.gateway.port),
        // Replay nonces and rate-limit counters, shared by every replica.
        ...databaseEnv(db, "owner", "DATABASE_URL"),
        { name: "SUBGRAPH_URLS", value: subgraphs.map((s) => `${s.name}=${s.url}`).join(",") },
        ...subgraphs.map((s) => secretEnv(secretVar(s), secrets, `subgraph-secret-${s.key}`)),
        { name: "SUBGRAPH_SECRETS", value: subgraphs.map((s) => `${s.name}=$(${secretVar(s)})`).join(",") },
      ],
      resources: { cpu: "500m", memory: "512Mi", memoryLimit: "1Gi" },
    }),
    service("gateway", ns, "gateway", reg.gateway.port),
    {
      body: {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "gateway", namespace: ns },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "gateway" },
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      },
    },
    {
      comment: "A node drain or upgrade never takes the last gateway replica.",
      body: {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "gateway", namespace: ns },
        spec: { minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "gateway" } } },
      },
    },
    {
      comment: "Clients reach the gateway on its port (through the cluster's ingress); the gateway is the federation's only public entry.",
      body: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "gateway-ingress", namespace: ns },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "gateway" } },
          policyTypes: ["Ingress"],
          ingress: [{ ports: [{ protocol: "TCP", port: reg.gateway.port }] }],
        },
      },
    },
    databasePolicy(db, "gateway"),
  ];
}

// ---------------------------------------------------------------------------------------------
// Compose

/**
 * One host, every container. Secrets are never in this file: each service reads its own env
 * file from infra/deploy/secrets/ and each PostgreSQL its password file (Compose `secrets:`),
 * all made by the operator and never checked in (see the README).
 */
function composeFile(reg: OrgRegistry): Obj {
  const services: Obj = {};
  const secrets: Obj = {};
  const volumes: Obj = {};
  const identity = {
    JWKS_URL: "${JWKS_URL:?the identity provider's JWKS URL}",
    JWT_ISSUER: "${JWT_ISSUER:?the identity provider's issuer}",
    OTEL_TRACES_EXPORTER: "${OTEL_TRACES_EXPORTER:-none}",
    OTEL_EXPORTER_OTLP_ENDPOINT: "${OTEL_EXPORTER_OTLP_ENDPOINT:-}",
  };
  const postgres = (name: string, db: DatabasePlan) => {
    secrets[`${name}-db-password`] = { file: `./secrets/${name}-db-password` };
    if (db.app) secrets[`${name}-db-app-password`] = { file: `./secrets/${name}-db-app-password` };
    volumes[`${name}-db`] = {};
    services[`${name}-db`] = {
      image: COMPOSE_POSTGRES_IMAGE,
      environment: {
        POSTGRES_DB: db.database,
        // The owner runs the migrations; this container holds this one database only.
        POSTGRES_USER: db.owner,
        POSTGRES_PASSWORD_FILE: `/run/secrets/${name}-db-password`,
        ...(db.app ? { INTERFORCE_APP_ROLE: db.app, INTERFORCE_APP_PASSWORD_FILE: `/run/secrets/${name}-db-app-password` } : {}),
        ...(db.ctype ? { POSTGRES_INITDB_ARGS: `--lc-collate=C --lc-ctype=${db.ctype}` } : {}),
      },
      secrets: [`${name}-db-password`, ...(db.app ? [`${name}-db-app-password`] : [])],
      ...(db.app ? { configs: [{ source: "postgres-app-role", target: "/docker-entrypoint-initdb.d/10-app-role.sh" }] } : {}),
      volumes: [`${name}-db:/var/lib/postgresql/data`],
      networks: [`${name}`],
      healthcheck: { test: ["CMD-SHELL", `pg_isready -U ${db.owner} -d ${db.database}`], interval: "5s", timeout: "3s", retries: 10 },
      restart: "unless-stopped",
    };
  };
  const app = (name: string, target: string, port: number, env: Record<string, string>, networks: string[]) => ({
    image: `interforce/${target}:${IMAGE_TAG}`,
    build: { context: "../..", dockerfile: "infra/deploy/Dockerfile", target },
    environment: { INTERFORCE_MODE: "production", HOST: "0.0.0.0", PORT: String(port), ...identity, ...env },
    // DATABASE_URL, MIGRATION_DATABASE_URL and the service's secrets.
    env_file: [`./secrets/${name}.env`],
    depends_on: { [`${name}-db`]: { condition: "service_healthy" } },
    networks,
    read_only: true,
    tmpfs: ["/tmp"],
    restart: "unless-stopped",
  });
  const migrate = (name: string, env: Record<string, string>) => ({
    image: image("migrate"),
    build: { context: "../..", dockerfile: "infra/deploy/Dockerfile", target: "migrate" },
    environment: { INTERFORCE_MODE: "production", ...env },
    env_file: [`./secrets/${name}.env`],
    depends_on: { [`${name}-db`]: { condition: "service_healthy" } },
    networks: [name],
    restart: "no",
  });

  // Each database sits on a network of its own with its one service: no other container reaches it.
  const networks: Obj = { federation: {}, edge: {}, hub: {}, gateway: {} };
  postgres("hub", hubDb(reg));
  services["hub-migrate"] = migrate("hub", { SERVICE: "hub-subgraph" });
  services.hub = {
    ...app("hub", "hub-subgraph", reg.hub.port, { FORCE_URLS: reg.orgs.map((o) => `${o.code}=http://${k8sName(o.code)}:${o.port}`).join(",") }, [
      "hub",
      "federation",
    ]),
    depends_on: { "hub-db": { condition: "service_healthy" }, "hub-migrate": { condition: "service_completed_successfully" } },
  };
  for (const org of reg.orgs) {
    const name = k8sName(org.code);
    networks[name] = {};
    postgres(name, forceDb(org));
    services[`${name}-migrate`] = migrate(name, { SERVICE: "force-subgraph", INTERFORCE_ORG: org.code });
    services[name] = {
      ...app(name, "force-subgraph", org.port, { INTERFORCE_ORG: org.code, HUB_URL: `http://hub:${reg.hub.port}` }, [name, "federation"]),
      depends_on: { [`${name}-db`]: { condition: "service_healthy" }, [`${name}-migrate`]: { condition: "service_completed_successfully" } },
    };
  }
  postgres("gateway", gatewayDb());
  const subgraphUrls = [
    `hub=http://hub:${reg.hub.port}/graphql`,
    ...reg.orgs.map((o) => `${subgraphName(o.code)}=http://${k8sName(o.code)}:${o.port}/graphql`),
  ];
  services.gateway = {
    ...app("gateway", "gateway", reg.gateway.port, { SUBGRAPH_URLS: subgraphUrls.join(",") }, ["gateway", "federation", "edge"]),
    // Two replicas sharing replay nonces and rate-limit counters through gateway-db.
    deploy: { replicas: 2 },
  };
  services["gateway-proxy"] = {
    image: NGINX_IMAGE,
    configs: [{ source: "gateway-proxy", target: "/etc/nginx/conf.d/default.conf" }],
    ports: [`${reg.gateway.port}:8080`],
    depends_on: ["gateway"],
    networks: ["edge"],
    restart: "unless-stopped",
  };
  return {
    name: "interforce",
    services,
    networks,
    volumes,
    secrets,
    // `$$` is a literal `$` to Compose.
    configs: {
      "gateway-proxy": {
        content: [
          "# Docker's resolver, re-read every 10 s, so both gateway replicas (and a restarted one) receive requests.",
          "resolver 127.0.0.11 valid=10s ipv6=off;",
          "server {",
          "  listen 8080;",
          "  client_max_body_size 256k;",
          `  set $$gateway http://gateway:${reg.gateway.port};`,
          "  # Metrics are for the monitoring network, not for clients.",
          "  location = /metrics {",
          "    return 404;",
          "  }",
          "  location / {",
          "    proxy_pass $$gateway;",
          "    proxy_http_version 1.1;",
          '    proxy_set_header Connection "";',
          "    proxy_set_header X-Forwarded-For $$proxy_add_x_forwarded_for;",
          "    proxy_read_timeout 30s;",
          "  }",
          "}",
          "",
        ].join("\n"),
      },
      // The service's own login: DML only, through default privileges on what the owner's migrations create.
      "postgres-app-role": {
        content: [
          "set -eu",
          'psql -v ON_ERROR_STOP=1 -U "$$POSTGRES_USER" -d "$$POSTGRES_DB" -v app="$$INTERFORCE_APP_ROLE" -v owner="$$POSTGRES_USER" -v db="$$POSTGRES_DB" -v pw="$$(cat "$$INTERFORCE_APP_PASSWORD_FILE")" <<\'SQL\'',
          "CREATE ROLE :\"app\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';",
          'REVOKE CONNECT, TEMPORARY ON DATABASE :"db" FROM PUBLIC;',
          'GRANT CONNECT ON DATABASE :"db" TO :"app";',
          "REVOKE CREATE ON SCHEMA public FROM PUBLIC;",
          'GRANT USAGE ON SCHEMA public TO :"app";',
          'ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";',
          'ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";',
          "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
          "SQL",
          "",
        ].join("\n"),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Files

const HEADER = "# Generated by `npm run deploy:generate` from the org registry; checked by `npm run deploy:check`. Do not edit.";

const COMPOSE_HEADER = [
  HEADER,
  "# One host: a subgraph and a PostgreSQL per force, the hub and its PostgreSQL, two gateway replicas and the",
  "# PostgreSQL they share. The replicas sit behind a small nginx: Compose cannot publish one host port for two",
  "# replicas, and a proxy gives clients one address while Docker's DNS spreads requests over both.",
  "# Secrets come from files in infra/deploy/secrets/ (never checked in); see the README's Deploying section.",
  "#   docker compose -f infra/deploy/compose.yaml up -d",
].join("\n");

async function yamlText(header: string, docs: Doc[]): Promise<string> {
  const parts = docs.map((d) => {
    const comment = d.comment ? `${d.comment.replace(/^/gm, "# ")}\n` : "";
    return comment + stringify(d.body, { lineWidth: 0, aliasDuplicateObjects: false });
  });
  const text = `${header}\n${parts.join("---\n")}`;
  const options = (await resolveConfig(join(REPO_ROOT, "infra/deploy/compose.yaml"))) ?? {};
  return format(text, { ...options, parser: "yaml" });
}

/** Every generated file, by path relative to the output directory. */
export async function generateDeployment(reg: OrgRegistry): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set("compose.yaml", await yamlText(COMPOSE_HEADER, [{ body: composeFile(reg) }]));
  const k8sHeader = (what: string) => `${HEADER}\n# ${what}\n#   kubectl apply -f infra/deploy/k8s/ (CloudNativePG's operator installed first)`;
  files.set(
    "k8s/gateway.yaml",
    await yamlText(k8sHeader("The gateway: two or more replicas, autoscaled, and the PostgreSQL of their shared state."), gatewayDocs(reg)),
  );
  files.set("k8s/hub.yaml", await yamlText(k8sHeader("The hub: registry, agreements, selector index; its own PostgreSQL."), hubDocs(reg)));
  for (const org of reg.orgs) {
    files.set(`k8s/force-${k8sName(org.code)}.yaml`, await yamlText(k8sHeader(`${org.name}: its subgraph and its own PostgreSQL.`), forceDocs(reg, org)));
  }
  return files;
}

/** Writes the files under `outDir`, removing generated manifests of orgs no longer in the registry. */
export function writeDeployment(outDir: string, files: Map<string, string>): void {
  mkdirSync(join(outDir, "k8s"), { recursive: true });
  for (const f of readdirSync(join(outDir, "k8s"))) {
    if (f.endsWith(".yaml") && !files.has(`k8s/${f}`)) unlinkSync(join(outDir, "k8s", f));
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), text);
  }
}

/** The files that differ from what the registry produces, or that it no longer produces. */
export function staleFiles(outDir: string, files: Map<string, string>): string[] {
  const stale = [...files].filter(([path, text]) => !existsSync(join(outDir, path)) || readFileSync(join(outDir, path), "utf8") !== text).map(([p]) => p);
  const k8sDir = join(outDir, "k8s");
  if (existsSync(k8sDir))
    stale.push(
      ...readdirSync(k8sDir)
        .filter((f) => f.endsWith(".yaml") && !files.has(`k8s/${f}`))
        .map((f) => `k8s/${f}`),
    );
  return stale;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const { values } = parseArgs({ options: { write: { type: "boolean" }, check: { type: "boolean" }, help: { type: "boolean" }, out: { type: "string" } } });
  if (values.help || values.write === values.check) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const outDir = resolve(values.out ?? join(REPO_ROOT, "infra/deploy"));
  const reg = loadRegistry();
  const files = await generateDeployment(reg);
  if (values.write) {
    writeDeployment(outDir, files);
    console.log(`wrote ${relative(process.cwd(), outDir) || "."}/compose.yaml and ${files.size - 1} Kubernetes manifests for ${reg.orgs.length} orgs`);
  } else {
    const stale = staleFiles(outDir, files);
    if (stale.length) {
      console.error(
        `deployment files are stale; run \`npm run deploy:generate\`:\n${stale.map((s) => `  ${relative(process.cwd(), join(outDir, s))}`).join("\n")}`,
      );
      process.exit(1);
    }
    console.log(`deployment up to date: compose.yaml and ${files.size - 1} Kubernetes manifests for ${reg.orgs.length} orgs`);
  }
}
