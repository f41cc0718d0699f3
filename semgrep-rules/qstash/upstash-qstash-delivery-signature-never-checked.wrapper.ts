// Correct: the SDK's App Router wrapper verifies before the handler runs.
import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";

export const POST = verifySignatureAppRouter(async (request: Request) => {
  // ok: upstash-qstash-delivery-signature-never-checked
  const messageId = request.headers.get("upstash-message-id");
  await handleMessage(messageId, await request.json());
  return new Response("ok");
});
