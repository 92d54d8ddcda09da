import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { securityHeaders } from "./security-headers.js";

/**
 * The console's pages may run their own scripts, styles and workers from this origin only,
 * call nothing but this origin, and be framed by nobody: the built site needs no CDN.
 */
export const CONSOLE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; worker-src 'self' blob:; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export interface StaticSiteOptions {
  /** The built site: `index.html`, `graphiql.html` and `assets/` (Vite's output). */
  root: string;
  /** Production mode: no `/graphiql`, and a browser's GET of `/graphql` is refused as any other. */
  production: boolean;
  /** The command that builds the site, named when it has not been built. */
  buildCommand: string;
  /** Where the site is served (default `/console/`). */
  base?: string;
}

/** An answer of the site: status, headers and the body (none for a HEAD). */
export interface SiteAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** A built site served beside GraphQL: `answer` is undefined for a request that is not the site's. */
export interface StaticSite {
  answer(req: Pick<IncomingMessage, "method" | "headers">, url: URL): SiteAnswer | undefined;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
};

/** Vite names every file under assets/ by its content hash: a new build is a new URL. */
const IMMUTABLE = "public, max-age=31536000, immutable";

const wantsHtml = (req: Pick<IncomingMessage, "headers">) => (req.headers.accept ?? "").toLowerCase().includes("text/html");

/** A segment never served: empty, `.`/`..` or a dotfile, or one hiding a separator or a NUL. */
const refusedSegment = (s: string) => s === "" || s.startsWith(".") || /[\\/\0]/.test(s);

function decodedSegments(path: string): string[] | null {
  try {
    return path.split("/").map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/**
 * The file a site path names, or null when it names none that may be served: a segment that
 * is empty, `.`/`..` or a dotfile, an encoded slash or backslash, a NUL, or anything resolving
 * (symbolic links included) outside the root. Only regular files are served.
 */
export function resolveSiteFile(root: string, path: string): string | null {
  const segments = decodedSegments(path);
  if (!segments || segments.some(refusedSegment)) return null;
  const realRoot = realpathSync(root);
  const candidate = resolve(realRoot, ...segments);
  const inside = (p: string) => {
    const rel = relative(realRoot, p);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).some((s) => s.startsWith("."));
  };
  if (!inside(candidate) || !existsSync(candidate)) return null;
  const real = realpathSync(candidate);
  if (!inside(real) || !statSync(real).isFile()) return null;
  return real;
}

/**
 * Serves a built single-page app (the console) from the service's own port:
 * - `GET /` from a browser (Accept text/html, no `query` parameter) → 302 to the site;
 * - `/console/assets/*` → the hashed build files, cached for good;
 * - `/console/<file>` → that file; `/console/<path>` without an extension → `index.html`
 *   (client-side routing); `/console/session/*` is never the site's (those are JSON routes);
 * - `/graphiql` → `graphiql.html`, and a browser's GET of `/graphql` → 302 there, outside
 *   production only.
 * HTML is never cached and carries `CONSOLE_CSP`. Before the site is built its pages answer 503
 * naming the build command.
 */
export function staticSite(opts: StaticSiteOptions): StaticSite {
  const base = opts.base ?? "/console/";
  const root = resolve(opts.root);
  const notBuilt = (req: Pick<IncomingMessage, "headers">): SiteAnswer => {
    // Where it looks is said outside production only: a deployment's paths are nobody's business.
    const message = `The console has not been built: run \`${opts.buildCommand}\`${opts.production ? "" : ` (it writes ${root})`}.`;
    if (wantsHtml(req)) {
      const html = `<!doctype html><meta charset="utf-8"><title>Interforce console not built</title><h1>Console not built</h1><p>${escapeHtml(message)}</p>`;
      return {
        status: 503,
        headers: { ...securityHeaders(opts.production), "content-security-policy": CONSOLE_CSP, "content-type": CONTENT_TYPES[".html"]! },
        body: html,
      };
    }
    const json = JSON.stringify({ errors: [{ message, extensions: { code: "UNAVAILABLE" } }] });
    return { status: 503, headers: { ...securityHeaders(opts.production), "content-type": CONTENT_TYPES[".json"]! }, body: json };
  };
  const redirect = (location: string): SiteAnswer => ({ status: 302, headers: { ...securityHeaders(opts.production), location }, body: "" });
  const file = (path: string, cacheControl?: string): SiteAnswer => {
    const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
    const html = type.startsWith("text/html");
    return {
      status: 200,
      headers: {
        ...securityHeaders(opts.production),
        ...(html ? { "content-security-policy": CONSOLE_CSP } : {}),
        "content-type": type,
        "cache-control": html ? "no-store" : (cacheControl ?? "no-cache"),
      },
      body: readFileSync(path),
    };
  };
  const page = (req: Pick<IncomingMessage, "headers">, name: string): SiteAnswer => {
    const path = existsSync(root) ? resolveSiteFile(root, name) : null;
    return path ? file(path) : notBuilt(req);
  };

  return {
    answer(req, url) {
      if (req.method !== "GET" && req.method !== "HEAD") return undefined;
      const path = url.pathname;
      const browser = wantsHtml(req) && !url.searchParams.has("query");
      if (path === "/" && browser) return redirect(base);
      if (path === "/graphql" && browser && !opts.production) return redirect("/graphiql");
      if (path === "/graphiql") return opts.production ? undefined : page(req, "graphiql.html");
      if (path === base.slice(0, -1)) return redirect(base);
      if (!path.startsWith(base) || path.startsWith(`${base}session/`)) return undefined;
      const rest = path.slice(base.length);
      if (rest === "" || rest === "index.html") return page(req, "index.html");
      if (!existsSync(join(root, "index.html"))) return notBuilt(req);
      const found = resolveSiteFile(root, rest);
      if (found) return file(found, rest.startsWith("assets/") ? IMMUTABLE : undefined);
      // A path of the app's own router: the app draws it. A missing file is a 404 (a stale asset must not turn into HTML).
      const segments = decodedSegments(rest.endsWith("/") ? rest.slice(0, -1) : rest);
      if (!segments || rest.startsWith("assets/") || segments.some(refusedSegment)) return undefined;
      return extname(segments[segments.length - 1]!) === "" ? page(req, "index.html") : undefined;
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
