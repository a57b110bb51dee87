/** Plan → confirm → execute → progress → result, and the restore offered after a failure. */
import type { PlanRequest, ProgressEvent, RunResult, StepOutcome } from '../../shared/contract';
import type { FinishedRun, PlanSlice, RunningRun, RunState, RunStep, SliceContext, StepState } from './types';
import { progressMessage } from '../format/progress-words';
import { assertNever } from '../../shared/assert-never';

const emptyDryRun = { data: null, loading: false, error: null };

/** Build the plan-and-run part of the store. */
export function createPlanSlice({ set, get, client, now, newId }: SliceContext): PlanSlice {
  async function refreshAfterRun(): Promise<void> {
    const state = get();
    set({ previews: {}, evidence: {}, lint: { data: null, loading: false, error: null, profileId: null } }); // previews, findings and the applied versions' evidence depend on what is applied
    await Promise.all([state.refreshStatus(), state.refreshHistory(), state.refreshBackups(), state.refreshDrift()]);
  }

  /** Cancel the dialog's dry run when it is still going (its statement is cancelled on the server); resolves once asked. */
  function cancelDryRun(dialog: PlanSlice['planDialog']): Promise<unknown> {
    if (!dialog?.dryRunId || !dialog.dryRun.loading) return Promise.resolve();
    return client.invoke('migrations:cancel', { runId: dialog.dryRunId });
  }

  return {
    planDialog: null,
    run: null,
    runDocked: false,

    dockRun() {
      if (get().run?.running) set({ runDocked: true });
    },

    undockRun() {
      set({ runDocked: false });
    },

    async openPlan(request: PlanRequest) {
      const profileId = get().activeProfileId;
      if (!profileId || get().run?.running) return;
      const openingId = get().planDialog?.openingId ?? newId();
      set({ planDialog: { openingId, request, plan: null, loading: true, error: null, dryRun: emptyDryRun, lint: emptyDryRun, dryRunId: null } });
      const result = await client.invoke('migrations:plan', { profileId, request });
      const dialog = get().planDialog;
      if (!dialog || dialog.request !== request) return; // closed or replaced meanwhile
      if (result.ok) {
        get().learnTransactional(result.value.steps);
        set({ planDialog: { ...dialog, plan: result.value, loading: false } });
        // The dialog is built on the dry run (failures block) and on drift (a warning): both are read now.
        if (result.value.steps.length > 0) await Promise.all([get().loadPlanDryRun(), get().refreshDrift()]);
      } else set({ planDialog: { ...dialog, error: result.error, loading: false } });
    },

    closePlan() {
      // Nobody waits for a dry run still going: stop it, so it does not go on holding locks.
      cancelDryRun(get().planDialog);
      set({ planDialog: null });
    },

    async loadPlanDryRun() {
      const profileId = get().activeProfileId;
      const dialog = get().planDialog;
      if (!profileId || !dialog?.plan || dialog.dryRun.loading || dialog.dryRun.data) return;
      // Its own run id, so running the plan without waiting (or closing the dialog) cancels it on the server.
      const dryRunId = newId();
      if (dialog.plan.direction === 'down') {
        // Rollbacks: the dry run alone (lint checks migrations before they are applied).
        set({ planDialog: { ...dialog, dryRunId, dryRun: { data: null, loading: true, error: null } } });
        const dry = await client.invoke('migrations:dry-run', { profileId, plan: dialog.plan, runId: dryRunId });
        const now = get().planDialog;
        if (now?.plan !== dialog.plan) return;
        if (dry.ok) get().learnTransactional(dry.value.migrations);
        set({ planDialog: { ...now, dryRun: dry.ok ? { data: dry.value, loading: false, error: null } : { data: null, loading: false, error: dry.error } } });
        return;
      }
      set({ planDialog: { ...dialog, dryRunId, dryRun: { data: null, loading: true, error: null }, lint: { data: null, loading: true, error: null } } });
      // One dry run serves both: lint runs it (tracing locks) and hands it back with its findings.
      const result = await client.invoke('migrations:lint', { profileId, plan: dialog.plan, runId: dryRunId });
      const current = get().planDialog;
      if (current?.plan !== dialog.plan) return;
      if (result.ok) {
        get().learnTransactional(result.value.dryRun.migrations);
        if (dialog.plan.steps.length === (get().status?.pending.length ?? -1)) get().adoptLint(result.value);
      }
      set({
        planDialog: {
          ...current,
          dryRun: result.ok ? { data: result.value.dryRun, loading: false, error: null } : { data: null, loading: false, error: result.error },
          lint: result.ok ? { data: result.value, loading: false, error: null } : { data: null, loading: false, error: result.error },
        },
      });
    },

    async execute(confirmation) {
      const profileId = get().activeProfileId;
      const plan = get().planDialog?.plan;
      if (!profileId || !plan || get().run?.running) return;
      // Run without waiting for the dry run: cancel it first, or its transaction holds what the run needs (its locks, its tables).
      await cancelDryRun(get().planDialog);
      const runId = newId();
      const steps: RunStep[] = plan.steps.map((s) => ({ name: s.name, direction: s.direction, state: 'waiting', durationMs: null, startedAt: null }));
      const run: RunningRun = {
        runId,
        profileId,
        database: get().status?.database ?? '',
        plan,
        steps,
        log: [],
        startedAt: now(),
        endedAt: null,
        running: true,
        cancelling: false,
        cancelRequested: false,
        result: null,
        error: null,
        restore: { running: false, error: null, done: null },
      };
      set({ planDialog: null, run, runDocked: false });
      const result = await client.invoke('migrations:execute', { profileId, plan, runId, confirmation });
      const current = get().run;
      if (current?.runId === runId) {
        if (result.ok) set({ run: settleRun(current, result.value, now()) });
        else set({ run: { ...current, running: false, cancelling: false, endedAt: now(), result: null, error: result.error } });
      }
      await refreshAfterRun();
    },

    async cancelRun() {
      const run = get().run;
      if (!run?.running || run.cancelling) return;
      // Logged now, before any outcome can arrive: the log always shows the request before the result.
      const requested = { at: now(), level: 'warn' as const, message: 'Cancel requested.' };
      set({ run: { ...run, cancelling: true, cancelRequested: true, log: [...run.log, requested] } });
      const result = await client.invoke('migrations:cancel', { runId: run.runId });
      const current = get().run;
      if (current?.runId !== run.runId) return;
      if (result.ok && result.value.cancelling) return;
      const line = result.ok
        ? { at: now(), level: 'warn' as const, message: 'Too late to cancel: the run had already finished.' }
        : { at: now(), level: 'error' as const, message: `Cancel failed: ${result.error.message}` };
      set({ run: { ...current, log: [...current.log, line] } });
    },

    closeRun() {
      if (!get().run?.running) set({ run: null, runDocked: false });
    },

    async restoreAfterRun(confirmation) {
      const run = get().run;
      const backupId = run?.result?.backupId;
      if (!run || !backupId || run.restore.running) return;
      set({ run: { ...run, restore: { running: true, error: null, done: null } } });
      const result = await client.invoke('backups:restore', { profileId: run.profileId, backupId, confirmation });
      const current = get().run;
      if (current?.runId === run.runId) {
        const restore = result.ok
          ? { running: false, error: null, done: `Restored ${result.value.database}; head is now ${result.value.head ?? 'empty (no migrations)'}.` }
          : { running: false, error: result.error, done: null };
        set({ run: { ...current, restore } });
      }
      await refreshAfterRun();
    },
  };
}

/** Apply one progress event to the run it belongs to. */
export function applyProgress(run: RunState, event: ProgressEvent, at: number): RunState {
  const update = (name: string, patch: Partial<RunStep>) => run.steps.map((s) => (s.name === name ? { ...s, ...patch } : s));
  // Position from the plan itself, so the text does not depend on how the engine counts.
  const position = event.type === 'started' ? run.steps.findIndex((s) => s.name === event.name) + 1 || event.index + 1 : 0;
  const line = { at, ...progressMessage(event, position, run.steps.length || (event.type === 'started' ? event.total : 0)) };
  const log = [...run.log, line];
  switch (event.type) {
    case 'started':
      return { ...run, steps: update(event.name, { state: 'running', startedAt: at }), log };
    case 'finished':
      return { ...run, steps: update(event.name, { state: 'done', durationMs: event.durationMs }), log };
    case 'failed':
      return { ...run, steps: update(event.name, { state: 'failed', durationMs: event.durationMs }), log };
    case 'cancelled':
      return { ...run, steps: update(event.name, { state: 'cancelled', durationMs: event.durationMs }), log };
    case 'log':
      return { ...run, log };
    default:
      return assertNever(event, 'progress event');
  }
}

const stateOfOutcome: Record<StepOutcome, StepState> = {
  applied: 'done',
  reverted: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  'rolled-back': 'rolled-back',
  skipped: 'skipped',
  stamped: 'done',
};

/** The run as the engine reported it at the end: authoritative step states and durations. */
export function settleRun(run: RunState, result: RunResult, endedAt: number): FinishedRun {
  const byName = new Map(result.steps.map((s) => [s.name, s]));
  const steps = run.steps.map((step) => {
    const final = byName.get(step.name);
    if (!final) return step.state === 'running' || step.state === 'waiting' ? { ...step, state: 'skipped' as const } : step;
    return { ...step, state: stateOfOutcome[final.outcome], durationMs: final.durationMs ?? step.durationMs };
  });
  return { ...run, steps, result, error: null, running: false, cancelling: false, endedAt };
}
