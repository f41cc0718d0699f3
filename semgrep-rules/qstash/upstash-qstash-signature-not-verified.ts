// Test cases for qstash-signature-not-verified (TypeScript / JavaScript handlers).
import { Receiver } from "@upstash/qstash";
import { verifySignatureAppRouter, verifySignatureEdge } from "@upstash/qstash/nextjs";
import { verifySignatureSvelte } from "@upstash/qstash/svelte";
import { NextRequest, NextResponse } from "next/server";
import type { NextApiRequest, NextApiResponse } from "next";
import { headers } from "next/headers";
import express from "express";
import { Hono } from "hono";

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

// ---- misuse -------------------------------------------------------------------------------

// Next.js App Router: only checks that the header is present.
export async function POST(request: Request) {
  // ruleid: upstash-qstash-signature-not-verified
  const signature = request.headers.get("upstash-signature");
  if (!signature) {
    return new Response("missing signature", { status: 401 });
  }
  const job = await request.json();
  return Response.json({ received: job.id });
}

// App Router with NextRequest, mixed-case header name.
export const PUT = async (req: NextRequest) => {
  // ruleid: upstash-qstash-signature-not-verified
  const sig = req.headers.get("Upstash-Signature") ?? "";
  console.log("qstash message", sig.length);
  return NextResponse.json({ ok: true });
};

// App Router reading headers() from next/headers.
export async function PATCH() {
  const h = await headers();
  // ruleid: upstash-qstash-signature-not-verified
  if (!h.has("upstash-signature")) return new Response(null, { status: 403 });
  return new Response("ok");
}

// Pages Router API handler: Node lower-cases header names.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  // ruleid: upstash-qstash-signature-not-verified
  const signature = req.headers["upstash-signature"] as string;
  if (typeof signature !== "string") return res.status(401).end();
  await processJob(req.body);
  res.status(200).json({ done: true });
}

// Express, header read through req.get / req.header / destructuring.
const app = express();
app.post("/api/jobs", express.json(), async (req, res) => {
  // ruleid: upstash-qstash-signature-not-verified
  const signature = req.get("Upstash-Signature");
  if (!signature) return res.sendStatus(401);
  await processJob(req.body);
  res.sendStatus(200);
});

app.post("/api/other", (req, res) => {
  // ruleid: upstash-qstash-signature-not-verified
  const token = req.header("upstash-signature");
  res.json({ token: Boolean(token) });
});

// Middleware that only parses the body is not a check.
app.post("/api/json-only", express.json(), (req, res) => {
  // ruleid: upstash-qstash-signature-not-verified
  const signature = req.headers["upstash-signature"];
  res.json({ signature: Boolean(signature) });
});

app.post("/api/destructured", (req, res) => {
  // ruleid: upstash-qstash-signature-not-verified
  const { "upstash-signature": sig } = req.headers;
  res.json({ seen: !!sig });
});

// The header name kept in a constant.
const SIGNATURE_HEADER = "Upstash-Signature";
export async function DELETE(request: Request) {
  // ruleid: upstash-qstash-signature-not-verified
  const sig = request.headers.get(SIGNATURE_HEADER);
  return new Response(sig ? "ok" : "no");
}

// Hono (also on Cloudflare Workers).
const hono = new Hono();
hono.post("/webhook", async (c) => {
  // ruleid: upstash-qstash-signature-not-verified
  const signature = c.req.header("Upstash-Signature");
  if (!signature) return c.text("unauthorized", 401);
  const payload = await c.req.json();
  return c.json({ ok: true, payload });
});

// Cloudflare Worker module syntax.
export const worker = {
  async fetch(request: Request, env: Record<string, string>): Promise<Response> {
    // ruleid: upstash-qstash-signature-not-verified
    if (request.headers.get("upstash-signature") === null) {
      return new Response("unauthorized", { status: 401 });
    }
    return new Response(await request.text());
  },
};

// A class-based handler.
class WebhookController {
  async handle(req: Request) {
    // ruleid: upstash-qstash-signature-not-verified
    const sig = req.headers.get("upstash-signature");
    return { sig };
  }
}

// h3 / Nuxt server route.
import { defineEventHandler, getHeader, readRawBody } from "h3";
export const h3Handler = defineEventHandler(async (event) => {
  // ruleid: upstash-qstash-signature-not-verified
  const signature = getHeader(event, "upstash-signature");
  if (!signature) return { status: 401 };
  return { body: await readRawBody(event) };
});

// A wrapper that authenticates users is not a QStash check.
declare function withAuth<T>(handler: T): T;
export const userRoute = withAuth(async (req: Request) => {
  // ruleid: upstash-qstash-signature-not-verified
  const sig = req.headers.get("upstash-signature");
  return new Response(sig ? "from qstash?" : "user");
});

// Passing the signature to a logger is not verifying it.
export async function logged(req: Request) {
  // ruleid: upstash-qstash-signature-not-verified
  const sig = req.headers.get("upstash-signature");
  // ruleid: upstash-qstash-signature-not-verified
  console.info("qstash call", req.headers.get("upstash-signature"), sig);
  return new Response("ok");
}

// ---- correct ------------------------------------------------------------------------------

// Awaited verify in try/catch that returns 401.
export async function verifiedPost(request: Request) {
  // ok: upstash-qstash-signature-not-verified
  const signature = request.headers.get("upstash-signature") ?? "";
  const body = await request.text();
  try {
    await receiver.verify({ signature, body, url: "https://example.com/api/jobs" });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

// Express with the raw body.
app.post("/api/verified", express.text({ type: "*/*" }), async (req, res) => {
  // ok: upstash-qstash-signature-not-verified
  const signature = req.headers["upstash-signature"] as string;
  try {
    await receiver.verify({ signature, body: req.body });
  } catch (err) {
    return res.status(401).send("invalid signature");
  }
  res.sendStatus(200);
});

// Hono with an aliased receiver.
const r = new Receiver();
hono.post("/verified", async (c) => {
  // ok: upstash-qstash-signature-not-verified
  const signature = c.req.header("upstash-signature") ?? "";
  try {
    await r.verify({ signature, body: await c.req.text() });
  } catch {
    return c.text("unauthorized", 401);
  }
  return c.text("ok");
});

// Wrappers that verify for you.
export const POST_WRAPPED = verifySignatureAppRouter(async (req: Request) => {
  // ok: upstash-qstash-signature-not-verified
  const messageId = req.headers.get("upstash-signature") && req.headers.get("upstash-message-id");
  return new Response(String(messageId));
});

export const config = { runtime: "edge" };
export const edgeHandler = verifySignatureEdge(async (req: NextRequest) => {
  // ok: upstash-qstash-signature-not-verified
  console.log(req.headers.get("upstash-signature"));
  return NextResponse.json({ ok: true });
});

export const sveltePost = verifySignatureSvelte(async ({ request }) => {
  // ok: upstash-qstash-signature-not-verified
  const sig = request.headers.get("upstash-signature");
  return new Response(sig);
}, { currentSigningKey: "", nextSigningKey: "" });

// Verification done by a helper that reads the header and verifies.
async function isFromQStash(req: Request): Promise<boolean> {
  // ok: upstash-qstash-signature-not-verified
  const signature = req.headers.get("upstash-signature");
  if (!signature) return false;
  try {
    return await receiver.verify({ signature, body: await req.clone().text() });
  } catch {
    return false;
  }
}

// The signature handed to the project's own verification helper.
declare function verifyRequest(body: string, signature: string | null, receiver: Receiver): Promise<void>;
export async function viaHelper(request: Request) {
  const body = await request.text();
  // ok: upstash-qstash-signature-not-verified
  await verifyRequest(body, request.headers.get("upstash-signature"), receiver);
  return new Response("ok");
}

declare function isValidQStashSignature(input: { signature: string; body: string }): Promise<boolean>;
export async function viaVariable(request: Request) {
  // ok: upstash-qstash-signature-not-verified
  const signature = request.headers.get("upstash-signature") ?? "";
  const body = await request.text();
  if (!(await isValidQStashSignature({ signature, body }))) {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

// h3 with the SDK wrapper.
import { verifySignatureH3 } from "@upstash/qstash/h3";
export const h3Verified = verifySignatureH3(defineEventHandler(async (event) => {
  // ok: upstash-qstash-signature-not-verified
  return { sig: getHeader(event, "upstash-signature") };
}));

// A verifying middleware in front of the handler.
declare const qstashAuth: express.RequestHandler;
app.post("/api/behind-middleware", express.text(), qstashAuth, (req, res) => {
  // ok: upstash-qstash-signature-not-verified
  const messageId = req.headers["upstash-message-id"] ?? req.headers["upstash-signature"];
  res.json({ messageId });
});

// Headers that are not the signature.
export async function other(req: Request) {
  // ok: upstash-qstash-signature-not-verified
  const id = req.headers.get("upstash-message-id");
  // ok: upstash-qstash-signature-not-verified
  const retried = req.headers.get("Upstash-Retried");
  return new Response(`${id} ${retried}`);
}

// Sending side: setting the header on an outgoing request is not reading it.
export async function forward(signature: string) {
  const h = new Headers();
  // ok: upstash-qstash-signature-not-verified
  h.set("Upstash-Signature", signature);
  return fetch("https://example.com", { headers: h });
}

// The header read wrapped before it reaches the project's verify helper.
declare function assertQStashSignature(signature: string, body: string): Promise<void>;
export async function wrappedNonNull(request: Request) {
  const payload = await request.text();
  try {
    // ok: upstash-qstash-signature-not-verified
    await assertQStashSignature(request.headers.get("Upstash-Signature")!, payload);
  } catch {
    return new Response("unauthorized", { status: 401 });
  }
  return new Response("accepted");
}

app.post("/api/wrapped", express.text({ type: "*/*" }), async (req, res) => {
  try {
    // ok: upstash-qstash-signature-not-verified
    await assertQStashSignature(String(req.headers["upstash-signature"]), req.body);
    // ok: upstash-qstash-signature-not-verified
    await isValidQStashSignature({ signature: req.get("Upstash-Signature") || "", body: req.body });
    // ok: upstash-qstash-signature-not-verified
    await assertQStashSignature((req.headers["upstash-signature"] as string) ?? "", req.body);
  } catch {
    return res.sendStatus(401);
  }
  res.sendStatus(204);
});

// A helper that is not about verification does not count, wrapped or not.
declare function recordDelivery(signature: string): Promise<void>;
export async function wrappedLogged(request: Request) {
  // ruleid: upstash-qstash-signature-not-verified
  await recordDelivery(request.headers.get("Upstash-Signature") ?? "none");
  return new Response("stored");
}

// A small util reads the header; the handler below verifies what it returns.
function signatureOf(request: Request): string {
  // ok: upstash-qstash-signature-not-verified
  return request.headers.get("Upstash-Signature") ?? "";
}

export async function usesSignatureOf(request: Request) {
  const text = await request.text();
  try {
    await receiver.verify({ signature: signatureOf(request), body: text, url: request.url });
  } catch {
    return new Response("unauthorized", { status: 401 });
  }
  return new Response("accepted");
}

// ... and the same util shape whose result is only logged is still reported.
const deliverySignature = (request: Request) =>
  // ruleid: upstash-qstash-signature-not-verified
  request.headers.get("upstash-signature") || "";

export async function logsDeliverySignature(request: Request) {
  console.info("delivery", deliverySignature(request));
  return new Response("accepted");
}

// An edge proxy that forwards the signature and the raw body to a backend that verifies.
export async function proxyToBackend(request: Request) {
  const upstream = await fetch(`${process.env.WORKER_ORIGIN}/hooks/qstash`, {
    method: "POST",
    // ok: upstash-qstash-signature-not-verified
    headers: { "upstash-signature": request.headers.get("Upstash-Signature") ?? "", "content-type": "text/plain" },
    body: await request.text(),
  });
  return new Response(upstream.body, { status: upstream.status });
}

app.post("/relay", express.text({ type: "*/*" }), async (req, res) => {
  // ok: upstash-qstash-signature-not-verified
  const forwarded = req.header("upstash-signature") ?? "";
  const upstream = await fetch("https://internal.example.com/qstash", {
    method: "POST",
    headers: { "Upstash-Signature": forwarded },
    body: req.body,
  });
  res.status(upstream.status).end();
});

declare function processJob(body: unknown): Promise<void>;

// ---- NestJS: the signature arrives as a decorated parameter ----------------------------------

// ---- the header handed to a boolean QStash check of this file --------------------------------

async function isGenuineQstashDelivery(signature: string | null, body: string, url: string) {
  if (!signature) return false;
  try {
    await receiver.verify({ signature, body, url });
    return true;
  } catch {
    return false;
  }
}

export async function checkedByHelper(request: Request) {
  const body = await request.text();
  // ok: upstash-qstash-signature-not-verified
  if (!(await isGenuineQstashDelivery(request.headers.get("upstash-signature"), body, request.url))) {
    return new Response("unauthorized", { status: 401 });
  }
  return Response.json({ ok: true });
}

export async function checkedThroughVariable(request: Request) {
  const body = await request.text();
  // ok: upstash-qstash-signature-not-verified
  const signature = request.headers.get("Upstash-Signature");
  const fromQstash = await isGenuineQstashDelivery(signature, body, request.url);
  if (!fromQstash) return new Response("unauthorized", { status: 401 });
  return Response.json({ ok: true });
}

// A helper whose name claims nothing about the check is not trusted.
function logDelivery(signature: string | null) {
  console.log("delivery", signature?.slice(0, 8));
}

export async function onlyLogged(request: Request) {
  // ruleid: upstash-qstash-signature-not-verified
  logDelivery(request.headers.get("upstash-signature"));
  return Response.json({ ok: true });
}

import { Body, Controller, Headers, HttpCode, Post, Req, UseGuards } from "@nestjs/common";

@Controller("webhooks")
export class WebhooksController {
  @Post("qstash")
  @HttpCode(200)
  // ruleid: upstash-qstash-signature-not-verified
  async handle(@Headers("upstash-signature") signature: string, @Body() job: { id: string }) {
    if (!signature) throw new UnauthorizedException();
    await this.jobs.run(job.id);
  }

  @Post("verified")
  // ok: upstash-qstash-signature-not-verified
  async verified(@Headers("upstash-signature") signature: string, @Req() req: { rawBody: Buffer }) {
    try {
      await receiver.verify({ signature, body: req.rawBody.toString() });
    } catch {
      throw new UnauthorizedException();
    }
    return { ok: true };
  }

  @Post("delegated")
  // ok: upstash-qstash-signature-not-verified
  async delegated(@Headers("Upstash-Signature") signature: string, @Req() req: { rawBody: Buffer }) {
    await this.qstash.verifySignature(signature, req.rawBody.toString());
    return { ok: true };
  }

  @Post("guarded")
  @UseGuards(QStashSignatureGuard)
  // ok: upstash-qstash-signature-not-verified
  async guarded(@Headers("upstash-signature") signature: string, @Body() job: { id: string }) {
    await this.jobs.run(job.id);
  }
}
