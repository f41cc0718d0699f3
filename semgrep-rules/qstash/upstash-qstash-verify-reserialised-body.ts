// Test cases for qstash-verify-reserialised-body.
import { Receiver } from "@upstash/qstash";
import express from "express";

const receiver = new Receiver();
const app = express();

// ---- misuse -------------------------------------------------------------------------------

export async function POST(req: Request) {
  const payload = await req.json();
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body: JSON.stringify(payload) });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return Response.json(payload);
}

export async function PUT(req: Request) {
  const body = JSON.stringify(await req.json());
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

export async function PATCH(req: Request) {
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body: await req.json() });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

export async function DELETE(req: Request) {
  const data = await req.json();
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body: data, url: req.url });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

// Express after express.json(): req.body is already an object.
app.post("/job", express.json(), async (req, res) => {
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers["upstash-signature"] as string, body: JSON.stringify(req.body) });
  } catch {
    return res.sendStatus(401);
  }
  res.sendStatus(200);
});

// h3: JSON.stringify of the raw text adds quotes and escapes.
import { defineEventHandler, readRawBody, readBody, getHeader } from "h3";
export const h3Handler = defineEventHandler(async (event) => {
  const raw = await readRawBody(event);
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: getHeader(event, "upstash-signature")!, body: JSON.stringify(raw) });
  } catch {
    return { status: 401 };
  }
  return { ok: true };
});

export const h3Parsed = defineEventHandler(async (event) => {
  const parsed = await readBody(event);
  const serialised = JSON.stringify(parsed);
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: getHeader(event, "upstash-signature")!, body: serialised });
  } catch {
    return { status: 401 };
  }
  return parsed;
});

// The re-serialised text made into bytes and back is still not the body QStash signed.
app.post("/bytes", express.json(), async (req, res) => {
  const raw = Buffer.from(JSON.stringify(req.body)).toString("utf8");
  // ruleid: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature: req.get("upstash-signature")!, body: raw });
  res.sendStatus(200);
});

app.post("/bytes-inline", express.json(), async (req, res) => {
  // ruleid: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature: req.get("upstash-signature")!, body: Buffer.from(JSON.stringify(req.body)) });
  res.sendStatus(200);
});

// ---- correct ------------------------------------------------------------------------------

// The raw body kept by express.json's verify hook, re-serialised only as a fallback.
app.post("/raw-fallback", express.json(), async (req, res) => {
  const raw = ((req as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.from(JSON.stringify(req.body))).toString();
  // ok: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature: req.get("upstash-signature")!, body: raw });
  res.sendStatus(200);
});

export async function good(req: Request) {
  const body = await req.text();
  try {
    // ok: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return Response.json(JSON.parse(body));
}

app.post("/raw", express.raw({ type: "*/*" }), async (req, res) => {
  try {
    // ok: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.get("upstash-signature")!, body: req.body.toString("utf8") });
  } catch {
    return res.sendStatus(401);
  }
  res.json(JSON.parse(req.body.toString("utf8")));
});

// Serialising for a different purpose after verifying the raw text is fine.
export async function logs(req: Request) {
  const raw = await req.clone().text();
  const parsed = await req.json();
  const summary = JSON.stringify(parsed);
  try {
    // ok: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers.get("upstash-signature")!, body: raw });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response(summary);
}

// A test or a sender that builds the body itself: the signed body is this string.
export async function selfSigned(sign: (body: string) => Promise<string>) {
  const body = JSON.stringify({ message: "test" });
  const signature = await sign(body);
  // ok: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature, body, url: "https://example.com/api" });
}

export async function h3Raw(event: Parameters<typeof readRawBody>[0]) {
  const raw = (await readRawBody(event)) ?? "";
  try {
    // ok: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: getHeader(event, "upstash-signature")!, body: raw });
  } catch {
    return { status: 401 };
  }
  return JSON.parse(raw);
}

// ---- bodies the framework already parsed (Elysia, NestJS, Koa, Fastify) ----------------------

import { Elysia } from "elysia";
import { Body, Controller, Headers, Post } from "@nestjs/common";

export const elysia = new Elysia().post("/qstash", async ({ body, headers, set }) => {
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: headers["upstash-signature"] ?? "", body: JSON.stringify(body) });
  } catch {
    set.status = 401;
    return "invalid signature";
  }
  return "ok";
});

@Controller("qstash")
export class QstashController {
  @Post()
  async handle(@Headers("upstash-signature") signature: string, @Body() body: unknown) {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature, body: JSON.stringify(body) });
    return { ok: true };
  }

  @Post("text")
  async text(@Headers("upstash-signature") signature: string, @Body() payload: string) {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature, body: payload });
    return { ok: true };
  }
}

export async function roundTrip(req: Request) {
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body: JSON.stringify(JSON.parse(await req.text())) });
  } catch {
    return new Response(null, { status: 401 });
  }
  return new Response("ok");
}

export async function stringified(req: Request) {
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body: String(await req.json()) });
  } catch {
    return new Response(null, { status: 401 });
  }
  return new Response("ok");
}

export const koaHandler = async (ctx: any) => {
  const raw = JSON.stringify(ctx.request.body);
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature: ctx.get("upstash-signature"), body: raw });
  } catch {
    ctx.throw(401, "invalid signature");
  }
  ctx.status = 204;
};

@Controller("raw")
export class RawController {
  @Post()
  async handle(@Headers("upstash-signature") signature: string, @Req() req: { rawBody: Buffer }) {
    // ok: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature, body: req.rawBody.toString("utf8") });
    return { ok: true };
  }
}

export async function signedLiteral(sign: (body: string) => Promise<string>) {
  const payload = { message: "test" };
  const signature = await sign(JSON.stringify(payload));
  // ok: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature, body: JSON.stringify(payload), url: "https://example.com/api" });
}

// Koa with koa-bodyparser: ctx.request.body is the parsed object; ctx.request.rawBody is the text.
router.post("/qstash/koa", async (ctx) => {
  // ruleid: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature: ctx.get("upstash-signature"), body: ctx.request.body, url: ctx.href });
  ctx.body = await runJob(ctx.request.body);
});

router.post("/qstash/koa-raw", async (ctx) => {
  // ok: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature: ctx.get("upstash-signature"), body: ctx.request.rawBody, url: ctx.href });
  ctx.body = await runJob(ctx.request.body);
});

router.post("/qstash/koa-payload", async (ctx) => {
  const payload = ctx.request.body;
  // ruleid: upstash-qstash-verify-reserialised-body
  const ok = await receiver.verify({ signature: ctx.get("upstash-signature"), body: payload, url: ctx.href }).catch(() => false);
  if (!ok) ctx.throw(401, "invalid signature");
  ctx.body = await runJob(payload);
});

router.post("/qstash/koa-raw-payload", async (ctx) => {
  const raw = ctx.request.rawBody;
  // ok: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature: ctx.get("upstash-signature"), body: raw, url: ctx.href });
  ctx.body = await runJob(ctx.request.body);
});

// ---- the body read twice --------------------------------------------------------------------

// Next.js App Router: req.json() used the stream up, req.text() throws "Body is unusable".
export async function PATCH(req: Request) {
  const signature = req.headers.get("upstash-signature") ?? "";
  const job = await req.json();
  const rawBody = await req.text();
  try {
    // ruleid: upstash-qstash-verify-reserialised-body
    await receiver.verify({ signature, body: rawBody, url: req.url });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return Response.json(await runJob(job));
}

// Deno / Bun.serve fetch handler, the same two reads.
export default {
  async fetch(request: Request): Promise<Response> {
    const job = await request.json();
    const text = await request.text();
    // ruleid: upstash-qstash-verify-reserialised-body
    const valid = await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body: text }).catch(() => false);
    if (!valid) return new Response("unauthorized", { status: 401 });
    return Response.json(await runJob(job));
  },
};

export async function clonedFirst(req: Request) {
  const job = await req.clone().json();
  const rawBody = await req.text();
  // ok: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body: rawBody });
  return Response.json(await runJob(job));
}

export async function textThenParse(req: Request) {
  const rawBody = await req.text();
  // ok: upstash-qstash-verify-reserialised-body
  await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body: rawBody });
  const job = JSON.parse(rawBody);
  const extra = await fetch("https://example.com/api/config").then((r) => r.json());
  return Response.json(await runJob({ ...job, extra }));
}
