/** Zod validation issues in plain words, for INVALID_INPUT messages. */
import type { z } from 'zod';

/** "profileId: expected string, received undefined; plan.steps: …", at most a handful. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], limit = 5): string {
  const lines = issues.slice(0, limit).map((issue) => {
    const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
    return `${where}${issue.message}`;
  });
  const more = issues.length > limit ? ` (and ${issues.length - limit} more)` : '';
  return lines.join('; ') + more;
}
