/** The data-testid values the browser test relies on (see the console contract). */
export const testIds = {
  // sign-in
  principalPicker: "principal-picker",
  signInButton: "sign-in-button",
  tokenInput: "token-input",
  purposeInput: "purpose-input",
  purposeSubmit: "purpose-submit",
  // header
  currentPrincipal: "current-principal",
  highestMarking: "highest-marking",
  signOut: "sign-out",
  navSearch: "nav-search",
  navGraph: "nav-graph",
  navMonitoring: "nav-monitoring",
  navAlerts: "nav-alerts",
  navRequests: "nav-requests",
  navAudit: "nav-audit",
  navExplain: "nav-explain",
  navAgreements: "nav-agreements",
  // search
  searchInput: "search-input",
  searchPlatform: "search-platform",
  searchFuzzy: "search-fuzzy",
  searchSubmit: "search-submit",
  searchResults: "search-results",
  searchHit: "search-hit",
  hitSpoc: "hit-spoc",
  requestAccess: "request-access",
  requestAccessJustification: "request-access-justification",
  requestAccessSubmit: "request-access-submit",
  requestAccessSent: "request-access-sent",
  searchEmpty: "search-empty",
  searchError: "search-error",
  orgUnavailable: "org-unavailable",
  // identity page
  identityPage: "identity-page",
  classificationBanner: "classification-banner",
  grading: "grading",
  identityHandle: "identity-handle",
  openGraph: "open-graph",
  // graph page
  linkGraph: "link-graph",
  graphNodeList: "graph-node-list",
  graphNode: "graph-node",
  // requests page
  accessRequest: "access-request",
  grantExpiry: "grant-expiry",
  grantButton: "grant-button",
  declineButton: "decline-button",
  // agreements page
  agreement: "agreement",
  suspendButton: "suspend-button",
  reinstateButton: "reinstate-button",
  revokeButton: "revoke-button",
  amendButton: "amend-button",
  createAgreement: "create-agreement",
  agreementReason: "agreement-reason",
  agreementConfirm: "agreement-confirm",
  // every page
  loading: "loading",
  empty: "empty",
  error: "error",
} as const;

export type TestId = (typeof testIds)[keyof typeof testIds];
