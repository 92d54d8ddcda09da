/** Loading, empty and error states, and "Load more": the same on every page. */
import type { ReactNode } from "react";
import { hintFor, type ApiError, type ApiErrorItem } from "../api/errors";
import type { PagedState } from "../api/hooks";
import { testIds } from "../testids";

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p className="state" data-testid={testIds.loading} role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="state state-empty" data-testid={testIds.empty}>
      {children}
    </p>
  );
}

export function ErrorState({ error }: { error: ApiError }) {
  const hint = hintFor(error.code);
  return (
    <div className="state state-error" data-testid={testIds.error} role="alert">
      <strong>{error.code}</strong>: {error.message}
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

/** Errors that came with data: part of the answer is missing, and the analyst must know which. */
export function PartialErrors({ errors }: { errors: readonly ApiErrorItem[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="partial-errors" role="status">
      {errors.map((e, i) => (
        <li key={i}>
          <strong>{e.extensions?.code ?? "INTERNAL"}</strong>: {e.message}
        </li>
      ))}
    </ul>
  );
}

export function LoadMore({ list }: { list: Pick<PagedState<unknown, unknown>, "hasMore" | "loadingMore" | "loadMoreError" | "loadMore"> }) {
  if (!list.hasMore) return null;
  return (
    <>
      {list.loadMoreError && <ErrorState error={list.loadMoreError} />}
      <button type="button" className="load-more" onClick={list.loadMore} disabled={list.loadingMore}>
        {list.loadingMore ? "Loading…" : "Load more"}
      </button>
    </>
  );
}

/** The usual frame of a list: loading, error, empty, then the rows and "Load more". */
export function ListStates({
  loading,
  error,
  count,
  empty,
  children,
}: {
  loading: boolean;
  error: ApiError | null;
  count: number;
  empty: ReactNode;
  children: ReactNode;
}) {
  if (error) return <ErrorState error={error} />;
  if (loading && count === 0) return <Loading />;
  if (count === 0) return <Empty>{empty}</Empty>;
  return <>{children}</>;
}
