export * from "./errors.js";
export * from "./keys.js";
export * from "./jwks.js";
export * from "./jwt.js";
export * from "./service-signature.js";
export * from "./gateway-signature.js";
export * from "./signed-request.js";
export * from "./sealed-ref.js";
