/**
 * Reads of the same thing overlap (the refresh after a run, another on focus, the plan dialog's
 * drift check) and their answers can arrive out of order on a busy server. Each read takes a
 * ticket; only the newest ticket's answer is applied, so an older answer arriving later never
 * undoes a newer one (a status from before another tool's change shown after it).
 */
export type LatestAnswer = (read: string) => () => boolean;

export function createLatestAnswer(): LatestAnswer {
  const newest = new Map<string, number>();
  return (read) => {
    const ticket = (newest.get(read) ?? 0) + 1;
    newest.set(read, ticket);
    return () => newest.get(read) === ticket;
  };
}
