import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

/**
 * A second Reglament of its own: the same binary and bundle that `cargo xtask test` serves
 * (`REGLAMENT_BIN`, `REGLAMENT_SITE_DIR`), with demo data in a fresh data folder, for a spec
 * whose data would disturb the others (thousands of tickets reorder everybody's queue).
 */
export class OwnServer {
  private constructor(
    readonly baseURL: string,
    private readonly child: ChildProcess,
    /** Its data folder: the database, and the mail it writes to `mail/*.eml`. */
    readonly dataDir: string,
  ) {}

  static async start(extraArgs: string[] = []): Promise<OwnServer> {
    const bin = process.env.REGLAMENT_BIN ?? resolve(__dirname, "../../target/debug/reglament");
    const site = process.env.REGLAMENT_SITE_DIR ?? resolve(__dirname, "../../dist");
    const dataDir = mkdtempSync(join(tmpdir(), "reglament-e2e-own-"));
    const env = { ...process.env, RG_LOG: "warn" };
    delete env.DATABASE_URL;
    const child = spawn(
      bin,
      ["serve", "--bind", "127.0.0.1:0", "--demo", "--data-dir", dataDir, "--site-dir", site, ...extraArgs],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    // Its log stays out of the test output; the last lines explain a failed start.
    const log: string[] = [];
    createInterface({ input: child.stderr! }).on("line", (line) => {
      log.push(line);
      if (log.length > 20) log.shift();
    });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((done, fail) => {
      child.once("exit", (code) => fail(new Error(`reglament exited with ${code} before listening:\n${log.join("\n")}`)));
      lines.once("line", done);
    });
    // The rest of its output is drained so that the server never blocks on a full pipe.
    lines.on("line", () => {});
    const prefix = "reglament: listening on ";
    if (!first.startsWith(prefix)) {
      child.kill();
      throw new Error(`unexpected first line from reglament: ${first}`);
    }
    return new OwnServer(first.slice(prefix.length).trim(), child, dataDir);
  }

  async stop() {
    if (this.child.exitCode == null) {
      const exited = new Promise((done) => this.child.once("exit", done));
      this.child.kill();
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
