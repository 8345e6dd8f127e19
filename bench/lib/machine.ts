import { cpus, totalmem } from "node:os";
import pg from "pg";
import { formatMiB } from "./stats.js";

/** What a benchmark ran on, printed with every result so that figures can be compared. */
export interface MachineDescription {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
  postgres: string;
  /** PostgreSQL settings that change write throughput, as the server reports them. */
  postgresSettings: Record<string, string>;
}

const WRITE_SETTINGS = ["synchronous_commit", "fsync", "wal_level", "shared_buffers", "max_wal_size"];

/** Describes this machine and the PostgreSQL server at `databaseUrl`. */
export async function describeMachine(databaseUrl: string): Promise<MachineDescription> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const version = await client.query<{ v: string }>("SELECT split_part(version(), ' on ', 1) AS v");
    const settings = await client.query<{ name: string; setting: string }>(
      "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1)",
      [WRITE_SETTINGS],
    );
    const cores = cpus();
    return {
      cpu: cores[0]?.model.trim() ?? "unknown",
      cores: cores.length,
      memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB (${formatMiB(totalmem())})`,
      node: process.version,
      os: `${process.platform} ${process.arch}`,
      postgres: version.rows[0]?.v ?? "unknown",
      postgresSettings: Object.fromEntries(settings.rows.map((r) => [r.name, r.setting])),
    };
  } finally {
    await client.end();
  }
}

/** The machine as table rows for `printTable`. */
export function machineRows(machine: MachineDescription): [string, string][] {
  return [
    ["CPU", `${machine.cpu} × ${machine.cores} cores`],
    ["memory", machine.memory],
    ["OS", machine.os],
    ["Node.js", machine.node],
    ["PostgreSQL", machine.postgres],
    [
      "PostgreSQL settings",
      Object.entries(machine.postgresSettings)
        .map(([name, value]) => `${name}=${value}`)
        .join(", "),
    ],
  ];
}
