import type { z } from "zod";
import { badInput } from "./errors.js";

/** Parses with zod, or throws BAD_USER_INPUT naming the first offending field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, root = "input"): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [root, ...issue.path.map(String)].filter(Boolean).join(".");
  throw badInput(`${field} ${issue.message}`, field);
}
