/** Creation order for views: every view after the views it reads. */
import type { View } from '../../shared/schema';

/** Views sorted so dependencies come first; ties and cycles keep the snapshot's (name) order. */
export function orderViewsByDependency(views: readonly View[]): View[] {
  const byName = new Map(views.map((v) => [`${v.schema}.${v.name}`, v]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const ordered: View[] = [];
  const visit = (view: View): void => {
    const name = `${view.schema}.${view.name}`;
    if (placed.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const dependency of view.dependsOn) {
      const target = byName.get(dependency);
      if (target) visit(target);
    }
    visiting.delete(name);
    placed.add(name);
    ordered.push(view);
  };
  for (const view of views) visit(view);
  return ordered;
}
