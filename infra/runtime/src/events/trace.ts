// Where an event's milliseconds go, for the events bench: with CG_EVENTS_TRACE naming a
// folder (config.ts, eventsTraceFolder; startSubgraph starts the trace), the relay and
// the consumer of every process write one line per event and stage (`<event id> <stage>
// <wall-clock ms, µs precision>`) to `<folder>/<pid>.trace`. Unset (production, tests),
// `traceEvents` is a no-op that costs a branch. A file named `paused` in the folder
// stops the tracing (the bench measuring CPU).
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';

let file: string | undefined;
let lines: string[] = [];

const flush = () => {
  if (!file || lines.length === 0) return;
  const text = lines.join('');
  lines = [];
  try {
    appendFileSync(file, text);
  } catch {
    // a diagnostic: never a failure of the pipeline
  }
};

/** Whether stages are being traced (callers skip building ids otherwise). */
export let tracing = false;

/**
 * Traces this process's events to `<folder>/<pid>.trace` from now on (the config's
 * eventsTraceFolder). Unset: nothing. Once a process: a second start changes nothing.
 */
export function startEventsTrace(folder: string | undefined): void {
  if (!folder || file) return;
  file = path.join(folder, `${process.pid}.trace`);
  tracing = true;
  // The bench pauses the trace while it measures CPU (a file `paused` in the folder).
  const paused = path.join(folder, 'paused');
  setInterval(() => {
    flush();
    tracing = !existsSync(paused);
  }, 200).unref();
  process.on('exit', flush);
}

/** The current wall-clock time in ms with µs precision (comparable across processes). */
export const wallClockMs = () => performance.timeOrigin + performance.now();

/** Records that the events with these ids reached `stage` at `at` (now by default). */
export function traceEvents(ids: readonly string[], stage: string, at = wallClockMs()): void {
  if (!file || !tracing) return;
  const t = at.toFixed(3);
  for (const id of ids) lines.push(`${id} ${stage} ${t}\n`);
}
