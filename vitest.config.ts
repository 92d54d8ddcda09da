import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "services/*/src/**/*.test.ts", "test/**/*.test.ts", "infra/**/*.test.ts"],
    exclude: ["test/bench/**", "**/node_modules/**"],
    // End-to-end files each start a private federation; one at a time fits a 2-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ["verbose"] : ["default"],
  },
});
