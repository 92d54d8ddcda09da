// type-graphql checks for the metadata API when its decorators run.
import "reflect-metadata";
export * from "./errors.js";
export * from "./logger.js";
export * from "./http.js";
export * from "./subgraph.js";
export * from "./graphql-enums.js";
export * from "./graphql-types.js";
export * from "./validate.js";
export * from "./mode.js";
export * from "./time-budget.js";
export * from "./gateway-guard.js";
export * from "./error-log.js";
export * from "./authorize.js";
export * from "./refusal-cap.js";
export * from "./metrics.js";
export * from "./ready.js";
export * from "./access-log.js";
export * from "./tracing.js";
