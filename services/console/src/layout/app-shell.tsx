/** The frame of every signed-in page: who is signed in, the purpose, the highest marking on screen, and the pages this principal may use. */
import { useState, type ReactNode } from "react";
import { NavLink } from "react-router";
import { mayUse, type NavArea } from "../domain/roles";
import { classificationLabel } from "../domain/markings";
import { PurposeForm } from "../session/purpose-form";
import { usePrincipal, useSession } from "../session/session";
import { testIds } from "../testids";
import { useHighestMarking } from "../ui/marking";

const NAV: { area: NavArea; to: string; label: string; testId: string }[] = [
  { area: "search", to: "/search", label: "Search", testId: testIds.navSearch },
  { area: "graph", to: "/graph", label: "Link graph", testId: testIds.navGraph },
  { area: "monitoring", to: "/monitoring", label: "Joint monitoring", testId: testIds.navMonitoring },
  { area: "alerts", to: "/alerts", label: "Deconfliction", testId: testIds.navAlerts },
  { area: "requests", to: "/requests", label: "Access requests", testId: testIds.navRequests },
  { area: "audit", to: "/audit", label: "Audit trail", testId: testIds.navAudit },
  { area: "explain", to: "/explain", label: "Explain access", testId: testIds.navExplain },
  { area: "agreements", to: "/agreements", label: "Agreements", testId: testIds.navAgreements },
];

export const firstArea = (principal: Parameters<typeof mayUse>[0]): string => NAV.find((n) => mayUse(principal, n.area))?.to ?? "/requests";

export function AppShell({ children }: { children: ReactNode }) {
  const principal = usePrincipal();
  const { purpose, setPurpose, signOut } = useSession();
  const highest = useHighestMarking();
  const [changingPurpose, setChangingPurpose] = useState(false);

  return (
    <div className="shell">
      <div className={`marking-strip banner-${highest.toLowerCase()}`} data-testid={testIds.highestMarking} data-classification={highest}>
        {classificationLabel(highest)}
      </div>
      <header className="header">
        <span className="brand">Interforce</span>
        <span className="principal" data-testid={testIds.currentPrincipal}>
          {principal.sub} · {principal.org} · {principal.roles.join(", ")} · cleared {principal.clearance}
          {principal.covert && " · covert"}
        </span>
        <span className="purpose">
          Purpose: <strong>{purpose}</strong>{" "}
          <button type="button" className="link-button" onClick={() => setChangingPurpose(true)}>
            change
          </button>
        </span>
        <button type="button" data-testid={testIds.signOut} onClick={signOut}>
          Sign out
        </button>
      </header>
      {changingPurpose && (
        <PurposeForm
          initial={purpose ?? ""}
          onSubmit={(p) => {
            setPurpose(p);
            setChangingPurpose(false);
          }}
          onCancel={() => setChangingPurpose(false)}
        />
      )}
      <nav className="nav" aria-label="Pages">
        {NAV.filter((n) => mayUse(principal, n.area)).map((n) => (
          <NavLink key={n.area} to={n.to} data-testid={n.testId}>
            {n.label}
          </NavLink>
        ))}
      </nav>
      <main className="page">{children}</main>
    </div>
  );
}
