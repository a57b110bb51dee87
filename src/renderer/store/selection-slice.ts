/** The current view, the selected migration, and what the detail pane loads for it. */
import type { SelectionSlice, SliceContext } from './types';
import { errorInfo } from '../../shared/errors';

/** Build the selection part of the store. */
export function createSelectionSlice({ set, get, client }: SliceContext): SelectionSlice {
  return {
    view: 'timeline',
    menuCommand: null,
    selectedName: null,
    selectionSeq: 0,
    connectionsCollapsed: false,
    sources: {},
    previews: {},
    evidence: {},

    setView(view) {
      set({ view });
    },

    select(name) {
      set({ selectedName: name, selectionSeq: name ? get().selectionSeq + 1 : get().selectionSeq });
    },

    editedDiffFor: null,

    openEditedDiff(name) {
      set({ editedDiffFor: name });
    },

    closeEditedDiff() {
      set({ editedDiffFor: null });
    },

    requestCommand(command) {
      // The connections list owns these dialogs: show it first.
      set({ menuCommand: { command, seq: (get().menuCommand?.seq ?? 0) + 1 }, connectionsCollapsed: command === 'new-migration' ? get().connectionsCollapsed : false });
    },

    toggleConnections() {
      set({ connectionsCollapsed: !get().connectionsCollapsed });
    },

    async loadSource(name) {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const existing = get().sources[name];
      if (existing && (existing.loading || existing.data)) return;
      set({ sources: { ...get().sources, [name]: { data: null, loading: true, error: null } } });
      const result = await client.invoke('migrations:source', { profileId, name });
      if (get().activeProfileId !== profileId) return;
      set({
        sources: {
          ...get().sources,
          [name]: result.ok ? { data: result.value, loading: false, error: null } : { data: null, loading: false, error: result.error },
        },
      });
    },

    async loadEvidence(name) {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const existing = get().evidence[name];
      if (existing && (existing.loading || existing.data !== null || existing.error === null)) return;
      const put = (value: SelectionSlice['evidence'][string]) => {
        if (get().activeProfileId === profileId) set({ evidence: { ...get().evidence, [name]: value } });
      };
      put({ data: null, loading: true, error: null });
      const result = await client.invoke('migrations:evidence', { profileId, name });
      put(result.ok ? { data: result.value, loading: false, error: null } : { data: null, loading: false, error: result.error });
    },

    async loadPreview(name) {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const existing = get().previews[name];
      if (existing && (existing.loading || existing.data)) return;
      const put = (value: SelectionSlice['previews'][string]) => {
        if (get().activeProfileId === profileId) set({ previews: { ...get().previews, [name]: value } });
      };
      put({ data: null, loading: true, error: null });
      // Preview = dry run of "upgrade to this migration", keeping only this migration's part.
      const plan = await client.invoke('migrations:plan', { profileId, request: { kind: 'upgrade', to: name } });
      if (!plan.ok) return put({ data: null, loading: false, error: plan.error });
      get().learnTransactional(plan.value.steps);
      const dryRun = await client.invoke('migrations:dry-run', { profileId, plan: plan.value });
      if (!dryRun.ok) return put({ data: null, loading: false, error: dryRun.error });
      get().learnTransactional(dryRun.value.migrations);
      const mine = dryRun.value.migrations.find((m) => m.name === name);
      if (!mine) {
        return put({
          data: null,
          loading: false,
          error: errorInfo('NO_PREVIEW', `The dry run did not include ${name}.`, { hint: 'Refresh the timeline and try again.' }),
        });
      }
      put({ data: mine, loading: false, error: null });
    },
  };
}
