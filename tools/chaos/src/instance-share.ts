/** The sum of every sample of one metric family in a Prometheus text page (all label sets). */
export function metricSum(page: string, family: string): number | null {
  let sum = 0;
  let found = false;
  for (const line of page.split('\n')) {
    if (!line.startsWith(family)) continue;
    const rest = line.slice(family.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (!Number.isFinite(value)) continue;
    sum += value;
    found = true;
  }
  return found ? sum : null;
}

/**
 * A counter read now and then from a process that may restart (its counters start again at 0): the
 * total is the sum of the increases seen, a drop counting as a restart.
 */
export class CounterTotal {
  total = 0;
  private last: number | null = null;

  observe(value: number): void {
    if (this.last === null || value < this.last) this.total += value;
    else this.total += value - this.last;
    this.last = value;
  }

  /** The process was restarted: its next reading counts from zero. */
  restarted(): void {
    this.last = null;
  }
}
