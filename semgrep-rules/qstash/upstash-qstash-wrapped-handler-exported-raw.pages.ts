// Pages Router, edge runtime: the default export is what Next.js calls.
import { verifySignatureEdge } from "@upstash/qstash/nextjs";
import type { NextRequest } from "next/server";

export const config = { runtime: "edge" };

async function handler(req: NextRequest) {
  const job = await req.json();
  await runJob(job);
  return new Response("queued");
}

// ruleid: upstash-qstash-wrapped-handler-exported-raw
export default handler;
export const verified = verifySignatureEdge(handler);
