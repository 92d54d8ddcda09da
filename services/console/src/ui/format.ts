/** Dates as an analyst reads them: UK day-month order, 24-hour clock, local time. */
const DATE_TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });
const DATE = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

export const formatDateTime = (iso: string | null | undefined): string => (iso ? DATE_TIME.format(new Date(iso)) : "—");
export const formatDate = (iso: string | null | undefined): string => (iso ? DATE.format(new Date(iso)) : "—");
