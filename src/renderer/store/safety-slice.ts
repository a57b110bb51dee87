/**
 * Lint findings of the pending migrations (badges, the Checks tab), the rollback checks kept for
 * the timeline and the "Test rollbacks…" dialog, and the Environments view's comparison.
 */
import type { SafetySlice, SliceContext } from './types';

const idle = { data: null, loading: false, error: null };

/** Build the safety part of the store. */
export function createSafetySlice({ set, get, client }: SliceContext): SafetySlice {
  return {
    lint: { ...idle, profileId: null },
    rollbackChecks: {},
    rollbackTest: null,
    comparison: { leftProfileId: null, rightProfileId: null, result: idle },

    async loadLint(force = false) {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const current = get().lint;
      if (current.profileId === profileId && (current.loading || (current.data && !force))) return;
      set({ lint: { data: force && current.profileId === profileId ? current.data : null, loading: true, error: null, profileId } });
      const result = await client.invoke('migrations:lint', { profileId });
      if (get().activeProfileId !== profileId) return;
      if (result.ok) get().learnTransactional(result.value.dryRun.migrations);
      set({ lint: result.ok ? { data: result.value, loading: false, error: null, profileId } : { data: null, loading: false, error: result.error, profileId } });
    },

    adoptLint(report) {
      const profileId = get().activeProfileId;
      if (profileId) set({ lint: { data: report, loading: false, error: null, profileId } });
    },

    async loadRollbackChecks() {
      const profileId = get().activeProfileId;
      if (!profileId) return;
      const result = await client.invoke('migrations:rollback-checks', { profileId });
      if (result.ok && get().activeProfileId === profileId) set({ rollbackChecks: result.value });
    },

    openRollbackTest() {
      set({ rollbackTest: { running: false, report: null, error: null } });
    },

    async runRollbackTest() {
      const profileId = get().activeProfileId;
      if (!profileId || get().rollbackTest?.running) return;
      set({ rollbackTest: { running: true, report: null, error: null } });
      const result = await client.invoke('migrations:verify-rollbacks', { profileId });
      if (!get().rollbackTest) return; // closed meanwhile: the results still reach the timeline below
      set({ rollbackTest: result.ok ? { running: false, report: result.value, error: null } : { running: false, report: null, error: result.error } });
      await get().loadRollbackChecks();
    },

    closeRollbackTest() {
      set({ rollbackTest: null });
    },

    chooseComparison(leftProfileId, rightProfileId) {
      set({ comparison: { leftProfileId, rightProfileId, result: idle } });
    },

    async runComparison() {
      const { leftProfileId, rightProfileId } = get().comparison;
      if (!leftProfileId || !rightProfileId) return;
      set({ comparison: { leftProfileId, rightProfileId, result: { data: null, loading: true, error: null } } });
      const result = await client.invoke('environments:compare', { leftProfileId, rightProfileId });
      const now = get().comparison;
      if (now.leftProfileId !== leftProfileId || now.rightProfileId !== rightProfileId) return;
      set({ comparison: { leftProfileId, rightProfileId, result: result.ok ? { data: result.value, loading: false, error: null } : { data: null, loading: false, error: result.error } } });
    },
  };
}
