import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime of the process itself, in seconds. */
  cpuSeconds: number;
  /** cutime + cstime: children already waited for, in seconds. */
  childCpuSeconds: number;
}

/** Parses one /proc/<pid>/stat line (the command name may hold spaces and parentheses). */
export function parseProcStat(line: string): ProcStat {
  const close = line.lastIndexOf(')');
  const pid = Number(line.slice(0, line.indexOf(' ')));
  // Fields after the name: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
  const rest = line.slice(close + 2).split(' ');
  const field = (n: number) => Number(rest[n - 3]);
  return {
    pid,
    ppid: field(4),
    cpuSeconds: (field(14) + field(15)) / TICKS_PER_SECOND,
    childCpuSeconds: (field(16) + field(17)) / TICKS_PER_SECOND,
  };
}

/** Resident set size in bytes from a /proc/<pid>/status text (VmRSS). */
export function parseRssBytes(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

function readStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

function readRss(pid: number): number {
  try {
    return parseRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return 0;
  }
}

/** Every process's stat, read once per sample (on a busy machine there are many). */
function processTable(): ProcStat[] {
  const all: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) all.push(stat);
  }
  return all;
}

/** The pid and all its live descendants (PostgreSQL's backends, a JVM launched by a shell). */
function processTree(root: number, all: ProcStat[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of all) {
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  const rootStat = all.find((s) => s.pid === root);
  if (!rootStat) return [];
  const tree: ProcStat[] = [];
  const queue = [rootStat];
  while (queue.length > 0) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}

export interface CostSample {
  cpuSeconds: number;
  rssBytes: number;
}

/** CPU time and memory of one process (with `table`: and its live descendants in it) right now. */
export function sampleTree(root: number, table: ProcStat[] | null = null): CostSample {
  if (!table) {
    const own = readStat(root);
    return { cpuSeconds: own?.cpuSeconds ?? 0, rssBytes: readRss(root) };
  }
  const members = processTree(root, table);
  let cpu = 0;
  let rss = 0;
  for (const stat of members) {
    cpu += stat.cpuSeconds;
    rss += readRss(stat.pid);
  }
  // Reaped children (e.g. PostgreSQL backends that ended) still count through the root.
  if (members[0]) cpu += members[0].childCpuSeconds;
  return { cpuSeconds: cpu, rssBytes: rss };
}

export interface CostFigures {
  cpuSeconds: number;
  peakRssMb: number;
}

/**
 * Samples named process trees (each service, Kafka, PostgreSQL) every `intervalMs`, from one
 * read of /proc per sample (it shares the receivers' thread); a window
 * gives CPU seconds spent and the peak resident memory seen between its start and end.
 */
export class CostMonitor {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  /** `roots`: name → pid, and whether its descendants count too (not for a process that launched the others). */
  constructor(
    private readonly roots: Record<string, { pid: number; tree: boolean }>,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private sample(): Record<string, CostSample> {
    const out: Record<string, CostSample> = {};
    const table = processTable();
    for (const [name, root] of Object.entries(this.roots)) {
      const sample = sampleTree(root.pid, root.tree ? table : null);
      out[name] = sample;
      this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, sample.rssBytes));
    }
    return out;
  }

  /** Starts a window now; `end()` returns per-tree CPU seconds and peak RSS over it. */
  window(): { end: () => Record<string, CostFigures> } {
    const begin = this.sample();
    this.peaks.clear();
    for (const [name, sample] of Object.entries(begin)) this.peaks.set(name, sample.rssBytes);
    return {
      end: () => {
        const finish = this.sample();
        const figures: Record<string, CostFigures> = {};
        for (const name of Object.keys(this.roots)) {
          figures[name] = {
            cpuSeconds: Math.round((finish[name].cpuSeconds - begin[name].cpuSeconds) * 100) / 100,
            peakRssMb: Math.round(((this.peaks.get(name) ?? 0) / 1048576) * 10) / 10,
          };
        }
        return figures;
      },
    };
  }
}
