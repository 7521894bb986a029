import { route } from "@sprocket/server";
import { databaseStatus } from "@/lib/database-status";

export const dynamic = "force-dynamic";

/** Liveness and database status, for load balancers and the e2e suite. */
export const GET = route(async ({ reply }) => {
  const database = await databaseStatus();
  const isHealthy = database.status === "up";
  await reply
    .code(isHealthy ? 200 : 503)
    .header("cache-control", "no-store")
    .send({ status: isHealthy ? "ok" : "degraded", database });
});
