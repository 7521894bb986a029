import { defineConfig } from "prisma/config";

// `prisma migrate deploy` needs a direct (unpooled) connection; the app itself uses DATABASE_URL.
// process.env, not prisma's env(): generate must work without a database URL.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DIRECT_DATABASE_URL ?? process.env.DATABASE_URL ?? "" },
});
