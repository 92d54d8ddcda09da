// Lint for what the compiler cannot see: import cycles (type imports included, so that a
// module graph stays a tree even where only types cross it), infra/ and test/ reaching into a
// service's internals, and a small set of correctness rules. No typed linting: the whole
// tree lints in seconds on two cores.
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";
import { defineConfig } from "eslint/config";

/** infra/ and test/ use a service only through its package entry (`@interforce/force-subgraph`). */
const SERVICE_INTERNALS = {
  patterns: [
    {
      group: ["**/services/**", "@interforce/force-subgraph/*", "@interforce/hub-subgraph/*", "@interforce/gateway/*"],
      message: 'infra/ and test/ reach a service only through its public entry: import from "@interforce/<service>" (services/<service>/src/index.ts).',
    },
  ],
};

export default defineConfig(
  // services/console/src/gql/ is generated from schema/ (checked by infra/schema/compose.ts --check).
  { ignores: ["**/node_modules/", ".tools/", ".interforce/", "coverage/", "schema/", "services/*/dist/", "services/console/src/gql/"] },
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { "import-x": importX },
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json", alwaysTryTypes: true })],
    },
    rules: {
      // ignoreTypes comes from patches/eslint-plugin-import-x@*.patch: upstream always skips `import type`.
      "import-x/no-cycle": ["error", { maxDepth: "∞", ignoreTypes: false }],
      "import-x/no-self-import": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // type-graphql takes resolver and object-type classes as `Function` (its ClassType is no narrower).
      "@typescript-eslint/no-unsafe-function-type": "off",
      // Inputs are checked for NUL and other control characters on purpose (PostgreSQL and the audit log refuse them).
      "no-control-regex": "off",
    },
  },
  {
    // The console runs in the browser.
    files: ["services/console/src/**"],
    languageOptions: { globals: globals.browser },
  },
  {
    // Tests walk GraphQL answers loosely; `any` stays out of the code they test.
    files: ["test/**", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["infra/**", "test/**"],
    rules: { "no-restricted-imports": ["error", SERVICE_INTERNALS] },
  },
);
