/** What opening a project found that the user should know (environments skipped, variables unset), shown until dismissed. */
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';

export function ProjectWarnings() {
  const opened = useApp((s) => s.projectWarnings);
  const store = useAppStore();
  if (!opened) return null;
  const file = opened.knexfile.split(/[\\/]/).slice(-2).join('/');
  return (
    <section className="notice notice-warn project-warnings" aria-label="Project warnings">
      <strong title={opened.knexfile}>
        {opened.warnings.length === 1 ? '1 note' : `${opened.warnings.length} notes`} on {file}
      </strong>
      <ul>
        {opened.warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
      <Button size="small" onClick={() => store.getState().dismissProjectWarnings()}>
        Dismiss
      </Button>
    </section>
  );
}
