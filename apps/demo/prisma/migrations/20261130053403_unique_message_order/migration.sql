-- DropIndex
DROP INDEX "Message_chatId_order_idx";

-- CreateIndex
CREATE UNIQUE INDEX "Message_chatId_order_key" ON "Message"("chatId", "order");
