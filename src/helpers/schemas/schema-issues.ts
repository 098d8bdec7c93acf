// Schema issues as the errors and the tool loop show them: one line each, the path first.
import type { SchemaIssue } from "../../errors.js";

/** `city: Expected string` for an issue at `city`; `(root): ...` for one at the root. */
export function formatIssue(issue: SchemaIssue): string {
  return `${issue.path.length === 0 ? "(root)" : issue.path.join(".")}: ${issue.message}`;
}

/** The first `max` issues, one per line, with a count of the rest. */
export function formatIssues(issues: readonly SchemaIssue[], max = 5): string {
  const lines = issues.slice(0, max).map((issue) => `- ${formatIssue(issue)}`);
  if (issues.length > max) lines.push(`- and ${issues.length - max} more`);
  return lines.join("\n");
}
