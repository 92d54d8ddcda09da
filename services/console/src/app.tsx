/** Sign-in, then the purpose, then the pages under /console/. */
import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { AppShell, firstArea } from "./layout/app-shell";
import { AgreementHistoryPage, AgreementsPage } from "./pages/agreements-page";
import { AlertsPage } from "./pages/alerts-page";
import { AuditPage } from "./pages/audit-page";
import { ExplainPage } from "./pages/explain-page";
import { ForumPage } from "./pages/forum-page";
import { GraphStartPage } from "./pages/graph-start-page";
import { IdentityPage } from "./pages/identity-page";
import { MonitoringPage } from "./pages/monitoring-page";
import { RequestsPage } from "./pages/requests-page";
import { SearchPage } from "./pages/search-page";
import { PurposeForm } from "./session/purpose-form";
import { SessionProvider, useSession } from "./session/session";
import { SignInPage } from "./session/sign-in-page";
import { formatDateTime } from "./ui/format";
import { MarkingProvider } from "./ui/marking";
import { Loading } from "./ui/states";

// cytoscape.js is most of the bundle: loaded when a graph is first drawn.
const GraphPage = lazy(() => import("./pages/graph-page").then((m) => ({ default: m.GraphPage })));

function Gate() {
  const { session, purpose, setPurpose } = useSession();
  if (!session) return <SignInPage />;
  if (!purpose) {
    return (
      <main className="sign-in">
        <h1>Interforce console</h1>
        <p>
          The gateway verified your token: {session.principal.sub} of {session.principal.org}, {session.principal.roles.join(", ")}, cleared{" "}
          {session.principal.clearance}
          {session.principal.covert && ", covert"}; valid until {formatDateTime(session.expiresAt)}.
        </p>
        <PurposeForm onSubmit={setPurpose} />
      </main>
    );
  }
  return (
    // A new session starts from a clean slate: nothing of the previous principal's pages survives.
    <MarkingProvider key={session.token}>
      <AppShell>
        <Routes>
          <Route path="/" element={<Navigate to={firstArea(session.principal)} replace />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/identity/:id" element={<IdentityPage />} />
          <Route path="/forum/:id" element={<ForumPage />} />
          <Route path="/graph" element={<GraphStartPage />} />
          <Route
            path="/graph/:rootId"
            element={
              <Suspense fallback={<Loading what="Loading the graph view" />}>
                <GraphPage />
              </Suspense>
            }
          />
          <Route path="/monitoring" element={<MonitoringPage />} />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="/requests" element={<RequestsPage />} />
          <Route path="/audit" element={<AuditPage />} />
          <Route path="/explain" element={<ExplainPage />} />
          <Route path="/agreements" element={<AgreementsPage />} />
          <Route path="/agreements/:id" element={<AgreementHistoryPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell>
    </MarkingProvider>
  );
}

export function App() {
  return (
    <BrowserRouter basename="/console">
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </BrowserRouter>
  );
}
