import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgresOptions {
  /** Folder holding the data; omitted, the database lives in memory and is gone when stopped. */
  dataDir?: string;
  /** TCP port to listen on. Default: 0 (any free port). */
  port?: number;
  /** Host to bind. Default: "127.0.0.1" (never exposed beyond the machine by default). */
  host?: string;
  /**
   * Concurrent client connections accepted. PGlite runs one query at a time; the socket server
   * queues the rest, so this only bounds how many pool connections may be open. Default: 10.
   */
  maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** A `postgresql://` URL any PostgreSQL client (`pg`, `@prisma/adapter-pg`, `psql`) can use. */
  url: string;
  port: number;
  /** Closes the server and the database, flushing data to `dataDir`. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL (PGlite, compiled to Wasm) in this process and serves it over the Postgres wire
 * protocol, so an app connects to it exactly as it would to a real server.
 *
 * @example
 * const db = await startEmbeddedPostgres({ dataDir: ".data/pglite", port: 54329 });
 * process.env.DATABASE_URL = db.url;
 * // ... later
 * await db.stop();
 */
export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
  host = "127.0.0.1",
  maxConnections = 10,
}: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const releaseLock = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite | undefined;
  try {
    db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
    const server = new PGLiteSocketServer({ db, port, host, maxConnections });
    await server.start();
    const address = server.getServerConn();
    const boundPort = Number(address.slice(address.lastIndexOf(":") + 1));
    let stopping: Promise<void> | undefined;
    const database = db;
    return {
      url: `postgresql://postgres:postgres@${host}:${boundPort}/postgres?sslmode=disable`,
      port: boundPort,
      stop: () => {
        stopping ??= (async () => {
          await server.stop();
          await database.close();
          releaseLock();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    releaseLock();
    throw error;
  }
}

// Two processes writing one PGlite folder corrupt it, so a folder is owned by one process at a time.
// A lock left by a process that died is taken over.
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dirname(dataDir), `${dataDir.split(/[\\/]/).pop()}.lock`);
  mkdirSync(dirname(lockPath), { recursive: true });
  // "wx" creates the file only if it does not exist, so two processes starting at once cannot both win.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(readFileSync(lockPath, "utf8"));
    if (owner && isAlive(owner)) {
      throw new Error(`the embedded database in ${dataDir} is in use by process ${owner}; stop it first`);
    }
    rmSync(lockPath, { force: true });
  }
  throw new Error(`could not lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
