export {
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from "./embedded-postgres.js";
export {
  applyMigrations,
  createMigration,
  type MigrationsOptions,
  pendingSchemaChanges,
} from "./migrations.js";
