import { spawn } from 'node:child_process';
import {
  CostMonitor,
  machineBusySeconds,
  OTHER_PROCESSES,
  parseProcStat,
  parseRssBytes,
  sampleTree,
} from './process-sampler';

describe('process sampler', () => {
  it('parses /proc/<pid>/stat, command names with spaces and parentheses included', () => {
    const line = '4242 (node (bench) x) S 17 4242 4242 0 -1 4194560 1 0 0 0 250 50 7 3 20 0 11 0 1 1 1 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 17, cpuSeconds: 3, childCpuSeconds: 0.1 });
  });

  it('reads VmRSS from /proc/<pid>/status', () => {
    expect(parseRssBytes('Name:\tnode\nVmHWM:\t  90000 kB\nVmRSS:\t   51200 kB\n')).toBe(51200 * 1024);
    expect(parseRssBytes('Name:\tkthread\n')).toBe(0);
  });

  it('samples this very process', () => {
    const sample = sampleTree(process.pid);
    expect(sample.cpuSeconds).toBeGreaterThan(0);
    expect(sample.rssBytes).toBeGreaterThan(10 * 1048576);
  });

  it("reads the machine's busy time from /proc/stat, idle and iowait left out", () => {
    // user nice system idle iowait irq softirq steal, in ticks of 1/100 s.
    expect(machineBusySeconds('cpu  100 20 30 5000 400 5 5 40 0 0\ncpu0 1 2 3\n')).toBe(2);
    expect(machineBusySeconds()).toBeGreaterThan(0);
  });

  it('reports each group and the busy time of untracked processes over a window', () => {
    const monitor = new CostMonitor({ me: { pids: [process.pid], tree: false } });
    const window = monitor.window();
    const spinUntil = performance.now() + 200;
    while (performance.now() < spinUntil);
    const figures = window.end();
    expect(figures.me.cpuSeconds).toBeGreaterThan(0.05);
    expect(figures[OTHER_PROCESSES].cpuSeconds).toBeGreaterThanOrEqual(0);
    monitor.track('again', { pids: [process.pid], tree: false });
    expect(Object.keys(monitor.window().end())).toEqual(['me', 'again', OTHER_PROCESSES]);
  });

  it('keeps what a process spent once it has exited (never a negative figure)', async () => {
    const child = spawn(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 400);']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 250));
    const monitor = new CostMonitor({ child: { pids: [child.pid!], tree: false } });
    const window = monitor.window();
    await exited;
    expect(window.end().child.cpuSeconds).toBeGreaterThanOrEqual(0);
  });
});
