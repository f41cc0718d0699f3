// Test cases for upstash-qstash-receiver-never-used.
import express from "express";
import { Receiver } from "@upstash/qstash";
import * as qstash from "@upstash/qstash";
import { serve } from "@upstash/workflow/nextjs";

// ---- misuse -------------------------------------------------------------------------------

// Express: the receiver is configured, the route never calls it.
const app = express();
// ruleid: upstash-qstash-receiver-never-used
const reportReceiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

app.post("/api/qstash/report", express.json(), async (req, res) => {
  await buildReport(req.body.reportId);
  res.json({ ok: true });
});

// Next.js App Router, namespace import, built inside the handler and dropped.
export async function POST(req: Request) {
  // ruleid: upstash-qstash-receiver-never-used
  const qstashReceiver = new qstash.Receiver({
    currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
    nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
  });
  const job = await req.json();
  await buildReport(job.id);
  return new Response("ok");
}

// ---- correct ------------------------------------------------------------------------------

// ok: upstash-qstash-receiver-never-used
const verifier = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

app.post("/api/qstash/verified", express.text({ type: "*/*" }), async (req, res) => {
  try {
    await verifier.verify({ signature: req.get("upstash-signature") ?? "", body: req.body });
  } catch {
    return res.status(401).end();
  }
  await buildReport(JSON.parse(req.body).reportId);
  res.json({ ok: true });
});

// Handed to Upstash Workflow, which verifies with it.
// ok: upstash-qstash-receiver-never-used
const workflowReceiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});
export const { POST: workflowPost } = serve(async (context) => {
  await context.run("report", () => buildReport("weekly"));
}, { receiver: workflowReceiver });

// Shared with the modules that handle the requests.
// ok: upstash-qstash-receiver-never-used
export const sharedReceiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

// ok: upstash-qstash-receiver-never-used
const exportedLater = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});
export { exportedLater };

export class QStashGuard {
  private receiver: Receiver;
  constructor() {
    // ok: upstash-qstash-receiver-never-used
    this.receiver = new Receiver({
      currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
      nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
    });
  }
  async canActivate(signature: string, body: string) {
    return this.receiver.verify({ signature, body });
  }
}

// Bun.serve: used in a method of an object literal, inside a try.
// ok: upstash-qstash-receiver-never-used
const bunReceiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});
Bun.serve({
  async fetch(req) {
    const body = await req.text();
    try {
      await bunReceiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
    } catch {
      return new Response("unauthorized", { status: 401 });
    }
    return new Response(String(await buildReport(JSON.parse(body).id)));
  },
});

// Named only in comments: a TODO is no verification.
// ruleid: upstash-qstash-receiver-never-used
const todoReceiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

export async function todoHandler(req: Request) {
  // TODO: call todoReceiver.verify once the signing keys are in every environment
  /*
   * todoReceiver.verify({ signature, body })
   */
  const rawBody = await req.text();
  await buildReport(JSON.parse(rawBody).id);
  return new Response("ok");
}

// Used on a line that also carries a comment.
// ok: upstash-qstash-receiver-never-used
const commentedReceiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

export async function commentedHandler(req: Request) {
  const body = await req.text();
  await commentedReceiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body }); // throws on a bad signature
  return new Response(String(await buildReport(JSON.parse(body).id)));
}
