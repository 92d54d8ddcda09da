/**
 * The console and a bundled GraphiQL, served by the gateway under /console/ and /graphiql.
 * The pages run under a CSP of `default-src 'self'`: no inline script, no eval, no other origin.
 * `vite` (dev) proxies the API and the session endpoints to a local gateway (GATEWAY_URL).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const gateway = process.env.GATEWAY_URL ?? "http://127.0.0.1:4000";

/** GraphiQL's stylesheet embeds its web fonts; the pages use the system's fonts (and the CSP has no font-src). */
const dropFontFaces = { postcssPlugin: "drop-font-faces", AtRule: { "font-face": (rule: { remove(): void }) => rule.remove() } };

export default defineConfig({
  base: "/console/",
  plugins: [react()],
  css: { postcss: { plugins: [dropFontFaces] } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The gateway serves both pages; their assets share /console/assets/.
    rollupOptions: {
      input: {
        console: fileURLToPath(new URL("index.html", import.meta.url)),
        graphiql: fileURLToPath(new URL("graphiql.html", import.meta.url)),
      },
      // React is shared by both pages.
      output: { manualChunks: (id) => (/\/node_modules\/(react|react-dom|scheduler)\//.test(id) ? "react" : undefined) },
    },
    // Inlined assets would need `data:` in more directives than img-src.
    assetsInlineLimit: 0,
    // cytoscape.js and GraphiQL are large; both are served from the gateway itself, cached for good.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: {
      "/graphql": gateway,
      "/console/session": gateway,
    },
  },
});
