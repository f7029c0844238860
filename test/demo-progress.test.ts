import { describe, expect, it } from 'vitest';
import { createProgress } from '../docs/examples/demo/progress.ts';

function terminal() {
  const written: string[] = [];
  const stream = { isTTY: true, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('the demo progress display', () => {
  it('draws no bar for a portal that has not reported its total yet', () => {
    const { stream, written } = terminal();
    const progress = createProgress(['rentix', 'indomio'], stream);
    progress.task('rentix')(10, 40);
    progress.finish();
    const last = written.slice(-2).join('');
    expect(last).toMatch(/rentix\s+\[#+\.+\]\s+25% 10\/40/);
    expect(last).toMatch(/indomio\s+\[\s+\]\s+waiting/);
    expect(last).not.toMatch(/indomio.*100%/);
  });

  it('draws a complete bar for a portal with nothing to do', () => {
    const { stream, written } = terminal();
    const progress = createProgress(['pfcrm'], stream);
    progress.task('pfcrm')(0, 0);
    progress.finish();
    expect(written.at(-1)).toMatch(/pfcrm \[#{30}\] 100% 0\/0/);
  });
});
