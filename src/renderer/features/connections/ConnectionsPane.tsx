/** The left pane: connections grouped by environment, the embedded demo, and ways to add more. */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Environment, ProfileView } from '../../../shared/contract';
import { ENVIRONMENTS } from '../../../shared/enums';
import { useApp, useAppStore } from '../../store/store-context';
import { Button } from '../../components/Button';
import { EnvironmentDot } from '../../components/EnvironmentBadge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ConnectionDialog } from './ConnectionDialog';
import { ConnectionRow } from './ConnectionRow';
import { OpenProjectDialog } from './OpenProjectDialog';
import { ProjectWarnings } from './ProjectWarnings';
import { emptyForm, formFromProfile, type ProfileForm } from './profile-form';

const order: readonly Environment[] = ENVIRONMENTS;

type Editing = { title: string; initial: ProfileForm; existing?: ProfileView };

/** "db.internal:5432 / billing", or "embedded / demo": where the engine says the profile connects (URL or fields). */
function whereText(p: ProfileView): string {
  if (p.kind === 'embedded') return `embedded · ${p.database ?? 'demo'}`;
  if (!p.endpoint) return p.host ?? '';
  const { host, port, database } = p.endpoint;
  return `${host}${port !== 5432 ? `:${port}` : ''} / ${database}`;
}

export function ConnectionsPane({ hidden = false }: { hidden?: boolean }) {
  const profiles = useApp((s) => s.profiles);
  const activeId = useApp((s) => s.activeProfileId);
  const profilesError = useApp((s) => s.profilesError);
  const canPickFolders = useApp((s) => s.info?.canPickFolders ?? false);
  const store = useAppStore();
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<ProfileView | null>(null);
  const [openingProject, setOpeningProject] = useState(false);
  const [projectError, setProjectError] = useState<import('../../../shared/contract').ErrorInfo | null>(null);

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const visible = profiles.filter((p) => !q || `${p.name} ${p.database ?? ''} ${p.host ?? ''} ${p.environment}`.toLowerCase().includes(q));
    return order.map((env) => ({ env, items: visible.filter((p) => p.environment === env) })).filter((g) => g.items.length > 0);
  }, [profiles, query]);

  // One Tab stop for the whole list: the connection focused last, else the active one.
  const rowOrder = useMemo(() => groups.flatMap((g) => g.items.map((p) => p.id)), [groups]);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const rowRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const activeIndex = rowOrder.indexOf(activeId ?? '');
  const current = focusIndex !== null && focusIndex < rowOrder.length ? focusIndex : Math.max(0, activeIndex);

  const menuCommand = useApp((s) => s.menuCommand);
  useEffect(() => {
    if (menuCommand?.command === 'open-project') void openProject();
    if (menuCommand?.command === 'add-connection') setEditing({ title: 'Add connection', initial: emptyForm(crypto.randomUUID()) });
  }, [menuCommand]);

  async function openProject() {
    if (!canPickFolders) return setOpeningProject(true);
    const result = await store.getState().openProject();
    setProjectError(result.ok ? null : result.error);
  }

  return (
    <nav className="connections" aria-label="Connections" id="connections-pane" hidden={hidden}>
      <div className="pane-header">
        <h2 className="pane-title">Connections</h2>
      </div>
      <div className="connections-search">
        <input className="input input-small" type="search" placeholder="Filter" aria-label="Filter connections" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <div className="connections-list">
        {profilesError && <ErrorMessage error={profilesError} />}
        <ProjectWarnings />
        {groups.map(({ env, items }) => (
          <section key={env} className="conn-group" aria-label={env} data-env={env}>
            <h3 className="conn-group-title">
              <EnvironmentDot environment={env} />
              {env}
            </h3>
            <ul>
              {items.map((p) => {
                const i = rowOrder.indexOf(p.id);
                return (
                  <ConnectionRow
                    key={p.id}
                    ref={(el) => {
                      rowRefs.current[i] = el;
                    }}
                    profile={p}
                    active={p.id === activeId}
                    current={i === current}
                    where={whereText(p)}
                    onFocusRow={() => setFocusIndex(i)}
                    onMove={(delta) => {
                      const next = delta === Infinity ? rowOrder.length - 1 : delta === -Infinity ? 0 : Math.min(rowOrder.length - 1, Math.max(0, i + delta));
                      setFocusIndex(next);
                      rowRefs.current[next]?.focus();
                    }}
                    onOpen={() => void store.getState().openProfile(p.id)}
                    onEdit={() => setEditing({ title: `Edit ${p.name}`, initial: formFromProfile(p), existing: p })}
                    onDuplicate={() =>
                      setEditing({ title: `Duplicate ${p.name}`, initial: formFromProfile(p, { id: crypto.randomUUID(), name: `${p.name} copy` }), existing: { ...p, hasPassword: false } })
                    }
                    onDelete={() => setDeleting(p)}
                  />
                );
              })}
            </ul>
          </section>
        ))}
        {groups.length === 0 && query && <p className="muted pad">No connection matches “{query}”.</p>}
      </div>
      <div className="connections-footer">
        {projectError && <ErrorMessage error={projectError} />}
        <Button onClick={() => setEditing({ title: 'Add connection', initial: emptyForm(crypto.randomUUID()) })}>Add connection</Button>
        <Button onClick={() => void openProject()}>Open project…</Button>
      </div>
      {editing && <ConnectionDialog {...editing} onClose={() => setEditing(null)} />}
      {openingProject && <OpenProjectDialog onClose={() => setOpeningProject(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          actionLabel="Delete connection"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const result = await store.getState().deleteProfile(deleting.id);
            return result.ok ? null : result.error;
          }}
        >
          <p>
            This forgets the connection and its saved password. The database, its migrations and its backups are not touched.
          </p>
        </ConfirmDialog>
      )}
    </nav>
  );
}
