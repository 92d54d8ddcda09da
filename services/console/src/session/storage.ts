/** Where a tab keeps its session (sessionStorage: gone when the tab closes). GraphiQL in the same tab reads it too. */
export const SESSION_KEY = "interforce.session";
export const PURPOSE_KEY = "interforce.purpose";
