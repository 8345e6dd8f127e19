import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";

/** Jiffies of the whole machine since boot, from /proc/stat: busy (all but idle and iowait) and total. */
export interface CpuSnapshot {
  busy: number;
  total: number;
}

/** Reads the machine-wide CPU counters; compare two snapshots with `cpuBusyShare`. */
export function machineCpu(): CpuSnapshot {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, v) => sum + v, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Share (0..1) of all cores' time spent busy between two snapshots. */
export function cpuBusyShare(before: CpuSnapshot, after: CpuSnapshot): number {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** Fields of /proc/<pid>/stat after "(comm)", whose name may hold spaces: [0] is the state (field 3). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU seconds (user + system) used by a process so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const fields = statFields(pid); // utime is field 14, stime 15
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * CPU seconds used by a process and all its children, those still running and those that exited
 * (counted in the parent's cutime/cstime once reaped): e.g. a PostgreSQL postmaster and its backends.
 */
export function processTreeCpuSeconds(pid: number): number {
  const own = statFields(pid);
  let total = (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) / CLOCK_TICKS;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      if (Number(fields[1]) === pid) total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/**
 * The process id of the PostgreSQL server (postmaster) at `databaseUrl` when it runs on this
 * machine and is visible here, so that its CPU can be measured; `undefined` otherwise.
 */
export async function postgresServerPid(databaseUrl: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    const postmaster = Number(statFields(backend)[1]);
    return /postgres/.test(readFileSync(`/proc/${postmaster}/cmdline`, "utf8")) ? postmaster : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

/** CPU used during a phase of a benchmark, by whom. Seconds are CPU seconds (all cores together). */
export interface CpuUse {
  /** Share (0..1) of the machine's cores busy, whoever used them (other programs included). */
  machineBusy: number;
  /** This (bench client) process. */
  clientSeconds: number;
  /** The server process, when its pid was given. */
  serverSeconds?: number;
  /** PostgreSQL's processes, when its postmaster pid was given. */
  postgresSeconds?: number;
}

/** Starts measuring CPU; the returned function ends the measurement. */
export function measureCpu(pids: { server?: number; postgres?: number }): () => CpuUse {
  const machine = machineCpu();
  const client = process.cpuUsage();
  const server = pids.server === undefined ? undefined : processCpuSeconds(pids.server);
  const postgres = pids.postgres === undefined ? undefined : processTreeCpuSeconds(pids.postgres);
  return () => {
    const used = process.cpuUsage(client);
    return {
      machineBusy: cpuBusyShare(machine, machineCpu()),
      clientSeconds: (used.user + used.system) / 1e6,
      serverSeconds: server === undefined ? undefined : processCpuSeconds(pids.server!) - server,
      postgresSeconds: postgres === undefined ? undefined : processTreeCpuSeconds(pids.postgres!) - postgres,
    };
  };
}
