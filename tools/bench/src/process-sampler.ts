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

/** Busy CPU seconds of the whole machine so far (all cores; idle and iowait excluded), from /proc/stat. */
export function machineBusySeconds(stat: string = readFileSync('/proc/stat', 'utf8')): number {
  const fields = stat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / TICKS_PER_SECOND;
}

export interface CostFigures {
  cpuSeconds: number;
  peakRssMb: number;
}

/** Processes counted under one name: several pids (the receivers), with or without descendants. */
export interface ProcessRoot {
  pids: number[];
  /** Whether descendants count too (not for a process that launched the others). */
  tree: boolean;
}

/** The name under which a window reports the machine's busy time that no tracked process spent. */
export const OTHER_PROCESSES = 'other processes';

/**
 * Samples named process groups (each service, Kafka, PostgreSQL, the receivers) every
 * `intervalMs`, from one read of /proc per sample; a window gives CPU seconds spent and the
 * peak resident memory seen between its start and end, plus the busy time of everything else
 * on the machine (OTHER_PROCESSES: contention, or a process this run forgot to track).
 */
export class CostMonitor {
  private readonly roots = new Map<string, ProcessRoot>();
  private readonly peaks = new Map<string, number>();
  /** CPU seconds last read per pid: a process that has exited keeps what it spent. */
  private readonly lastCpu = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    roots: Record<string, ProcessRoot>,
    private readonly intervalMs = 1000,
  ) {
    for (const [name, root] of Object.entries(roots)) this.roots.set(name, root);
  }

  /** Counts another group from the next window on (e.g. the baseline's load generator). */
  track(name: string, root: ProcessRoot): void {
    this.roots.set(name, root);
  }

  untrack(name: string): void {
    this.roots.delete(name);
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private sample(): { groups: Record<string, CostSample>; machine: number } {
    const groups: Record<string, CostSample> = {};
    const table = processTable();
    for (const [name, root] of this.roots) {
      const sample: CostSample = { cpuSeconds: 0, rssBytes: 0 };
      for (const pid of root.pids) {
        const one = sampleTree(pid, root.tree ? table : null);
        // A live process's CPU time never reads 0 after it read more: it has exited.
        const cpu = one.cpuSeconds > 0 ? one.cpuSeconds : (this.lastCpu.get(pid) ?? 0);
        this.lastCpu.set(pid, cpu);
        sample.cpuSeconds += cpu;
        sample.rssBytes += one.rssBytes;
      }
      groups[name] = sample;
      this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, sample.rssBytes));
    }
    return { groups, machine: machineBusySeconds() };
  }

  /** Starts a window now; `end()` returns per-group CPU seconds and peak RSS over it. */
  window(): { end: () => Record<string, CostFigures> } {
    const begin = this.sample();
    this.peaks.clear();
    for (const [name, sample] of Object.entries(begin.groups)) this.peaks.set(name, sample.rssBytes);
    return {
      end: () => {
        const finish = this.sample();
        const figures: Record<string, CostFigures> = {};
        let tracked = 0;
        for (const name of Object.keys(begin.groups)) {
          if (!finish.groups[name]) continue;
          const cpu = finish.groups[name].cpuSeconds - begin.groups[name].cpuSeconds;
          tracked += cpu;
          figures[name] = {
            cpuSeconds: round2(cpu),
            peakRssMb: Math.round(((this.peaks.get(name) ?? 0) / 1048576) * 10) / 10,
          };
        }
        figures[OTHER_PROCESSES] = {
          cpuSeconds: round2(Math.max(0, finish.machine - begin.machine - tracked)),
          peakRssMb: 0,
        };
        return figures;
      },
    };
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
