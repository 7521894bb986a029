-- ANALYZE skips the webhook payloads: nothing filters, joins or sorts on them, and sampling them
-- made each automatic analyze of this insert-heavy table read and decompress thousands of 2 to 8 KB
-- documents.
ALTER TABLE "WebhookEvent" ALTER COLUMN "payload" SET STATISTICS 0;
