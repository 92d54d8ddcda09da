/**
 * Headers for every response: intelligence must not be cached by a browser or proxy,
 * sniffed into another content type, framed, or leak its URL in a referrer. The console's
 * pages replace the strict CSP with their own (`CONSOLE_CSP`, static-site.ts).
 */
export function securityHeaders(production: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
  };
  headers["content-security-policy"] = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
  if (production) headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
