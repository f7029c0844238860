// Progress of several concurrent syncs: live bars on a terminal, plain lines otherwise.

/** Reports the progress of one portal's sync. */
export type ProgressSink = (done: number, total: number) => void;

/** One progress display for several named tasks. */
export interface Progress {
  /** The sink of one task. */
  task(name: string): ProgressSink;
  /** Draws the final state and stops redrawing. */
  finish(): void;
}

const WIDTH = 30;

function bar(done: number, total: number | undefined): string {
  // Until a portal reports its total there is nothing to draw: a bar would claim progress.
  if (total === undefined) return `[${' '.repeat(WIDTH)}]      waiting`;
  const share = total === 0 ? 1 : done / total;
  const full = Math.round(share * WIDTH);
  return `[${'#'.repeat(full)}${'.'.repeat(WIDTH - full)}] ${String(Math.round(share * 100)).padStart(3)}% ${done}/${total}`;
}

/** Bars redrawn in place when `stream` is a terminal; a line per 25 % step otherwise. */
export function createProgress(names: readonly string[], stream: NodeJS.WriteStream = process.stdout): Progress {
  const state = new Map<string, { done: number; total: number | undefined }>(
    names.map((n) => [n, { done: 0, total: undefined }]),
  );
  const width = Math.max(...names.map((n) => n.length));
  const live = stream.isTTY === true;
  const lastStep = new Map<string, number>();
  let drawn = false;

  const draw = () => {
    if (drawn) stream.write(`\x1b[${names.length}A`);
    for (const name of names) {
      const s = state.get(name) ?? { done: 0, total: undefined };
      stream.write(`\x1b[2K  ${name.padEnd(width)} ${bar(s.done, s.total)}\n`);
    }
    drawn = true;
  };
  let timer: NodeJS.Timeout | undefined;
  if (live) {
    draw();
    timer = setInterval(draw, 100);
  }

  return {
    task(name) {
      return (done, total) => {
        state.set(name, { done, total });
        if (live) return;
        const step = total === 0 ? 4 : Math.floor((done / total) * 4);
        if (step > (lastStep.get(name) ?? -1)) {
          lastStep.set(name, step);
          stream.write(`  ${name.padEnd(width)} ${done}/${total}\n`);
        }
      };
    },
    finish() {
      if (timer) clearInterval(timer);
      if (live) draw();
    },
  };
}
