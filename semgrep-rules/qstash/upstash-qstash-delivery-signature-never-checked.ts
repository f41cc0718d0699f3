// Test cases for upstash-qstash-delivery-signature-never-checked: QStash destinations (they read a
// header only QStash deliveries carry) in a module where nothing checks the signature.
// The cases where the module checks it, or leaves it to a named guard, are in the
// upstash-qstash-delivery-signature-never-checked.*.ts files beside this one: the rule looks
// at the whole module, so each needs its own file (a word that names the check anywhere in a
// module, even in a comment, keeps the rule off it).
import express from "express";
import { Hono } from "hono";
import { NextResponse } from "next/server";
import { defineEventHandler, getHeader, readBody } from "h3";

// ---- misuse -------------------------------------------------------------------------------

// Next.js App Router: idempotency on the message id, no signature check.
export async function POST(req: Request) {
  // ruleid: upstash-qstash-delivery-signature-never-checked
  const messageId = req.headers.get("Upstash-Message-Id");
  if (await alreadyProcessed(messageId)) {
    return NextResponse.json({ duplicate: true });
  }
  const { invoiceId } = await req.json();
  await sendInvoice(invoiceId);
  return NextResponse.json({ ok: true });
}

// Express: the retry count decides whether to alert.
const app = express();
app.post("/api/jobs/digest", express.json(), async (req, res) => {
  // ruleid: upstash-qstash-delivery-signature-never-checked
  const retried = Number(req.headers["upstash-retried"] ?? 0);
  await sendDigest(req.body.userIds, { lastAttempt: retried >= 3 });
  res.json({ ok: true });
});

// Express req.get(...)
app.post("/api/jobs/cleanup", async (req, res) => {
  // ruleid: upstash-qstash-delivery-signature-never-checked
  console.log("cleanup", req.get("upstash-schedule-id"));
  await cleanup();
  res.sendStatus(200);
});

// Hono on Workers: dedupe in KV.
const hono = new Hono();
hono.post("/qstash/ingest", async (c) => {
  // ruleid: upstash-qstash-delivery-signature-never-checked
  const id = c.req.header("upstash-message-id") ?? "";
  if (await c.env.SEEN.get(id)) return c.text("dup");
  await ingest(await c.req.json());
  return c.text("ok");
});

// Nitro / Nuxt server route
export const digest = defineEventHandler(async (event) => {
  // ruleid: upstash-qstash-delivery-signature-never-checked
  const scheduleId = getHeader(event, "upstash-schedule-id");
  await runDigest(scheduleId, await readBody(event));
  return { ok: true };
});

// A presence check proves nothing: anyone can send the header.
export async function PUT(request: Request) {
  // ruleid: upstash-qstash-delivery-signature-never-checked
  if (!request.headers.has("upstash-message-id")) {
    return new Response("not from qstash", { status: 400 });
  }
  await reindex(await request.json());
  return new Response("ok");
}

// AWS Lambda
export const handler = async (event: { headers: Record<string, string>; body: string }) => {
  // ruleid: upstash-qstash-delivery-signature-never-checked
  const retried = event.headers["upstash-retried"];
  await chargeCustomer(JSON.parse(event.body), retried);
  return { statusCode: 200, body: "ok" };
};

// Destructured from the headers.
app.post("/api/jobs/export", async (req, res) => {
  // ruleid: upstash-qstash-delivery-signature-never-checked
  const { "upstash-message-id": exportId } = req.headers;
  await runExport(exportId, req.body);
  res.end();
});

// ---- correct ------------------------------------------------------------------------------

// The sending side names the headers in an object literal: nothing is read.
export async function deliverLocally(url: string, body: unknown, messageId: string) {
  // ok: upstash-qstash-delivery-signature-never-checked
  await fetch(url, {
    method: "POST",
    headers: { "Upstash-Message-Id": messageId, "Upstash-Retried": "0" },
    body: JSON.stringify(body),
  });
}

// Other Upstash-* headers (set by the publisher, not proof of a delivery) are not the evidence.
export async function PATCH(req: Request) {
  // ok: upstash-qstash-delivery-signature-never-checked
  const workflowRunId = req.headers.get("upstash-workflow-runid");
  return new Response(workflowRunId);
}

// At module level (a docs snippet), not in a handler.
// ok: upstash-qstash-delivery-signature-never-checked
const exampleHeader = new Headers().get("upstash-message-id");
