/** Backups of the active profile: list, create, restore, verify, delete, with a live log. */
import type { BackupsSlice, SliceContext } from './types';

/** Build the backups part of the store. */
/** Verifications in flight: run id → backup id, so their progress lines find their row. */
const verifyRuns = new Map<string, string>();

/** The progress line of a running verification, when `runId` is one. */
export function noteVerifyProgress(ctx: Pick<SliceContext, 'get' | 'set'>, runId: string, message: string): boolean {
  const backupId = verifyRuns.get(runId);
  if (!backupId) return false;
  ctx.set({ verifyProgress: { ...ctx.get().verifyProgress, [backupId]: message } });
  return true;
}

export function createBackupsSlice({ set, get, client, now, newId, latest }: SliceContext): BackupsSlice {
  function startTask(label: string, profileId: string): string {
    const runId = newId();
    set({ backupTask: { runId, profileId, label, running: true, log: [], error: null, done: null } });
    return runId;
  }
  function finishTask(runId: string, patch: { error?: BackupsSlice['backupsError']; done?: string }): void {
    const task = get().backupTask;
    if (task?.runId !== runId) return;
    set({ backupTask: { ...task, running: false, error: patch.error ?? null, done: patch.done ?? null } });
  }

  return {
    backups: [],
    leftovers: null,
    backupsLoading: false,
    backupsError: null,
    backupTask: null,
    verifications: {},
    verifyProgress: {},

    async refreshBackups() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const newest = latest('backups');
      set({ backupsLoading: true });
      // The leftovers with the catalogue: both are what backups, restores and dry runs leave behind.
      const [result, found] = await Promise.all([client.invoke('backups:list', { profileId }), client.invoke('backups:leftovers', { profileId })]);
      if (!newest() || get().activeProfileId !== profileId) return;
      // Leftovers that cannot be read (no server) are simply not shown: the catalogue's error says why.
      const leftovers = found.ok ? found.value : null;
      if (result.ok) {
        const newestFirst = [...result.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        set({ backups: newestFirst, backupsError: null, backupsLoading: false, leftovers });
      } else set({ backupsError: result.error, backupsLoading: false, leftovers });
    },

    async createBackup() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const runId = startTask('Backing up', profileId);
      const result = await client.invoke('backups:create', { profileId, runId });
      if (result.ok) finishTask(runId, { done: `Backed up to ${result.value.file}` });
      else finishTask(runId, { error: result.error });
      await Promise.all([get().refreshBackups(), get().refreshHistory()]);
    },

    async restoreBackup(backupId, confirmation, intoDatabase) {
      const profileId = get().activeProfileId;
      if (!profileId) return null;
      const runId = startTask(intoDatabase ? `Restoring into ${intoDatabase}` : 'Restoring', profileId);
      const result = await client.invoke('backups:restore', { profileId, backupId, confirmation, runId, ...(intoDatabase ? { intoDatabase } : {}) });
      if (result.ok) {
        const head = result.value.head ?? 'no migrations';
        finishTask(runId, { done: `Restored ${result.value.database} (head: ${head}) in ${Math.round(result.value.durationMs)} ms` });
      } else finishTask(runId, { error: result.error });
      // The backups too: what an interrupted restore left is listed with them.
      await Promise.all([get().refreshStatus(), get().refreshHistory(), get().refreshDrift(), get().refreshBackups()]);
      return result.ok ? null : result.error;
    },

    async verifyBackup(backupId) {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const put = (value: BackupsSlice['verifications'][string]) => set({ verifications: { ...get().verifications, [backupId]: value } });
      put({ data: null, loading: true, error: null });
      const runId = newId();
      verifyRuns.set(runId, backupId);
      const result = await client.invoke('backups:verify', { profileId, backupId, runId });
      verifyRuns.delete(runId);
      const { [backupId]: _done, ...progress } = get().verifyProgress;
      set({ verifyProgress: progress });
      put(result.ok ? { data: result.value, loading: false, error: null } : { data: null, loading: false, error: result.error });
    },

    async revealBackup(backupId) {
      const profileId = get().activeProfileId;
      if (!profileId) return null;
      const result = await client.invoke('backups:reveal', { profileId, backupId });
      return result.ok ? null : result.error;
    },

    async deleteBackup(backupId) {
      const profileId = get().activeProfileId;
      if (!profileId) return null;
      const result = await client.invoke('backups:delete', { profileId, backupId });
      await get().refreshBackups();
      return result.ok ? null : result.error;
    },

    dismissBackupTask() {
      if (!get().backupTask?.running) set({ backupTask: null });
    },
  };
}

/** Append a progress line to the backup task it belongs to. */
export function appendBackupLog(ctx: Pick<SliceContext, 'get' | 'set' | 'now'>, runId: string, message: string): void {
  const task = ctx.get().backupTask;
  if (task?.runId !== runId) return;
  ctx.set({ backupTask: { ...task, log: [...task.log, { at: ctx.now(), level: 'info', message }] } });
}
