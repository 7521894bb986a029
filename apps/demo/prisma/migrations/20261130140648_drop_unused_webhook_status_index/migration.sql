-- DropIndex
DROP INDEX "WebhookEvent_status_receivedAt_idx";
