export {
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from "./embedded-postgres.js";
export {
  type CompletionEnd,
  type LocalModelFailure,
  type LocalModelServer,
  type LocalModelServerOptions,
  type PromptDirectives,
  parsePromptDirectives,
  startLocalModelServer,
} from "./local-model/index.js";
export {
  applyMigrations,
  createMigration,
  type MigrationsOptions,
  pendingSchemaChanges,
} from "./migrations.js";
export {
  deleteOfflineSession,
  isShopDomain,
  type OfflineSessionInput,
  type OfflineSessionRow,
  offlineSessionId,
  offlineSessionRow,
  type SessionDatabase,
  storeOfflineSession,
} from "./shopify-session/index.js";
