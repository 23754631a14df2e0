/**
 * Heap used after the last full (mark-compact) garbage collection: the live data, where
 * `heapUsed` alone also counts garbage not yet collected. A long run (the soak) compares this
 * figure over time to tell data growth from garbage. One observer per process, shared by every
 * docstore in it; the figure is read when the GC's performance entry is delivered (a tick after
 * the collection), so it may include a little allocation made in between.
 */
import { PerformanceObserver, constants } from 'perf_hooks';
import * as v8 from 'v8';

const state = { heapUsedAfterGc: null as number | null, fullGcs: 0, lastFullGcAt: null as Date | null };
let observer: PerformanceObserver | null = null;

export function watchGc(): void {
  if (observer) return;
  observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (((e as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      state.heapUsedAfterGc = v8.getHeapStatistics().used_heap_size;
      state.fullGcs++;
      state.lastFullGcAt = new Date();
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}

export function gcStatus(): { heapUsedAfterGc: number | null; fullGcs: number; lastFullGcAt: Date | null } {
  return { ...state };
}
