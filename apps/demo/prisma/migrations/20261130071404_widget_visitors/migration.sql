-- AlterTable
ALTER TABLE "Chat" ADD COLUMN     "customerId" TEXT,
ADD COLUMN     "visitorId" TEXT;

-- CreateIndex
CREATE INDEX "Chat_visitorId_createdAt_idx" ON "Chat"("visitorId", "createdAt");

-- CreateIndex
CREATE INDEX "Chat_shop_customerId_createdAt_idx" ON "Chat"("shop", "customerId", "createdAt");
