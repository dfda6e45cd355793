import { parseProcStat, parseRssBytes, sampleTree } from './process-sampler';

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
});
