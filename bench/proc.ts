import { readdirSync, readFileSync, writeFileSync } from "node:fs";

// Per-process figures from /proc (Linux): CPU time and resident memory of a server and of the
// workers it forked. Read from outside, so measuring costs the server nothing.

const TICK_US = 1_000_000 / 100; // USER_HZ is 100 on every Linux we run on

/** The pid and every descendant of it (a WORKERS > 1 primary and its workers). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== null) parents.set(Number(name), stat.ppid);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** User + system CPU time of the processes, in microseconds. */
export function cpuMicros(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat !== null) ticks += stat.utime + stat.stime;
  }
  return ticks * TICK_US;
}

/** Sum of the processes' peak resident set sizes (VmHWM), in bytes. */
export function peakRss(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + statusKb(pid, "VmHWM") * 1024, 0);
}

export function currentRss(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + statusKb(pid, "VmRSS") * 1024, 0);
}

/** Starts a new peak-RSS window ("5" > clear_refs resets VmHWM to the current RSS). */
export function resetPeakRss(pids: number[]): void {
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
      // Not ours or gone: its peak then covers its whole life, which only overstates.
    }
  }
}

function readStat(
  pid: number,
  file = `/proc/${pid}/stat`,
): { ppid: number; utime: number; stime: number } | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]) };
}

function statusKb(pid: number, field: string): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+)`, "m"));
    return match?.[1] === undefined ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

/** User + system CPU time of a process's main thread alone (its task whose id is the pid), in µs. */
export function mainThreadCpuMicros(pid: number): number {
  const stat = readStat(pid, `/proc/${pid}/task/${pid}/stat`);
  return stat === null ? 0 : (stat.utime + stat.stime) * TICK_US;
}
