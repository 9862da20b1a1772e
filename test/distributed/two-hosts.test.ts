/**
 * Two "hosts" on this machine: two Linux network namespaces joined by a veth pair (10.77.x addresses that
 * exist only inside them), each with its own host name, and mpirun's TCP transport between them, launching
 * the second host's daemon through an rsh agent that enters its namespace (where a real cluster uses ssh).
 * Needs root and `ip netns`; skipped with a notice otherwise (CI containers usually lack CAP_NET_ADMIN).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");
const tag = `tg${process.pid % 100000}`;
const hosts = [
  { ns: `${tag}-a`, ip: "10.77.0.1", name: `${tag}-host-a` },
  { ns: `${tag}-b`, ip: "10.77.0.2", name: `${tag}-host-b` },
];

function sh(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
}

const haveMpi = sh("mpirun", ["--version"]) && existsSync(join(root, "native", "mpi", "build", "Release", "tensorgrad_mpi.node"));
// The transport does not depend on the kernels' backend: run once, on the native backend's pass.
const jsPass = process.env.TENSORGRAD_BACKEND === "js";
const canNetns = !jsPass && process.getuid?.() === 0 && haveMpi && sh("ip", ["netns", "add", `${tag}-probe`]) && sh("ip", ["netns", "del", `${tag}-probe`]);
if (!canNetns && !jsPass) console.warn("test/distributed/two-hosts: SKIPPED (needs root, `ip netns`, mpirun and the MPI binding)");

let dir = "";

beforeAll(() => {
  if (!canNetns) return;
  dir = mkdtempSync(join(tmpdir(), "tg-two-hosts-"));
  const [a, b] = hosts;
  const steps: string[][] = [
    ["netns", "add", a.ns],
    ["netns", "add", b.ns],
    ["link", "add", `${tag}va`, "type", "veth", "peer", "name", `${tag}vb`],
    ["link", "set", `${tag}va`, "netns", a.ns],
    ["link", "set", `${tag}vb`, "netns", b.ns],
    ["-n", a.ns, "addr", "add", `${a.ip}/24`, "dev", `${tag}va`],
    ["-n", b.ns, "addr", "add", `${b.ip}/24`, "dev", `${tag}vb`],
    ["-n", a.ns, "link", "set", "lo", "up"],
    ["-n", b.ns, "link", "set", "lo", "up"],
    ["-n", a.ns, "link", "set", `${tag}va`, "up"],
    ["-n", b.ns, "link", "set", `${tag}vb`, "up"],
  ];
  for (const s of steps) if (!sh("ip", s)) throw new Error(`ip ${s.join(" ")} failed`);
  // Open MPI runs "agent host command..." to start its daemon on another host; here that enters the namespace.
  const agent = join(dir, "agent.sh");
  writeFileSync(
    agent,
    `#!/bin/sh\nhost="$1"; shift\ncase "$host" in\n${hosts.map((h) => `  ${h.ip}) ns=${h.ns}; name=${h.name} ;;`).join("\n")}\n  *) echo "unknown host $host" >&2; exit 1 ;;\nesac\nexec ip netns exec "$ns" unshare --uts /bin/sh -c "hostname $name; $*"\n`,
  );
  chmodSync(agent, 0o755);
});

afterAll(() => {
  if (!canNetns) return;
  for (const h of hosts) sh("ip", ["netns", "del", h.ns]);
  rmSync(dir, { recursive: true, force: true });
});

/** mpirun started on host a, one rank per slot on each host, TCP only, on the namespaces' subnet. */
function mpirun(perHost: number, command: string[]): { status: number | null; out: string } {
  const [a, b] = hosts;
  const args = [
    "--allow-run-as-root", "--host", `${a.ip}:${perHost},${b.ip}:${perHost}`, "-np", String(2 * perHost),
    "--mca", "plm_rsh_agent", join(dir, "agent.sh"), "--mca", "btl", "tcp,self",
    "--mca", "btl_tcp_if_include", "10.77.0.0/24", "--mca", "oob_tcp_if_include", "10.77.0.0/24",
    "-x", "OMPI_ALLOW_RUN_AS_ROOT=1", "-x", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", ...command,
  ];
  const inner = ["mpirun", ...args].map((s) => `'${s}'`).join(" ");
  const r = spawnSync("ip", ["netns", "exec", a.ns, "unshare", "--uts", "/bin/sh", "-c", `hostname ${a.name}; exec ${inner}`], {
    cwd: root,
    encoding: "utf8",
    timeout: 150_000,
  });
  return { status: r.status, out: `${r.stdout ?? ""}\n${r.stderr ?? ""}` };
}

(canNetns ? describe : describe.skip)("two hosts (network namespaces) over TCP", () => {
  it("the ranks run on both hosts", () => {
    const r = mpirun(1, ["hostname"]);
    expect(r.status, r.out).toBe(0);
    expect(r.out.split("\n").filter((l) => l.startsWith(tag)).sort()).toEqual(hosts.map((h) => h.name));
  }, 180_000);

  it("collectives (2 ranks per host) and DistributedDataParallel (1 per host) across them", () => {
    for (const [script, tagOk, perHost] of [["collectives.ts", "collectives", 2], ["ddp.ts", "ddp", 1]] as const) {
      const r = mpirun(perHost, [process.execPath, "--import", "tsx", join(__dirname, script)]);
      expect(r.status, r.out).toBe(0);
      expect(r.out.split("\n").filter((l) => l.endsWith(`: ok ${tagOk}`))).toHaveLength(2 * perHost);
    }
  }, 300_000);
});
