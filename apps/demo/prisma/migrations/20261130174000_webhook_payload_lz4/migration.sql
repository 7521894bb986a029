-- Webhook payloads (2 to 8 KB of JSON each, one row per delivery) are compressed with lz4 rather
-- than pglz where the server has it: in a test of 20,000 payloads of 4.7 KB on PostgreSQL 15,
-- inserting cost 37 µs a row against 56 (bench/README.md). A server built without lz4 (the
-- embedded PGlite) keeps its default, and only new values are compressed the new way. A function
-- rather than a DO block, whose body would need semicolons: migrations run statement by statement,
-- each on its own, so a run stopped half way (a lock timeout on the ALTER) can be run again.
CREATE OR REPLACE FUNCTION "sprocket_compress_webhook_payloads"() RETURNS void LANGUAGE sql AS $$
  ALTER TABLE "WebhookEvent" ALTER COLUMN "payload" SET COMPRESSION lz4
$$;

SELECT "sprocket_compress_webhook_payloads"()
FROM pg_settings
WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals);

DROP FUNCTION IF EXISTS "sprocket_compress_webhook_payloads"();
