// Test cases for qstash-verify-result-check-is-dead.
import { Receiver } from "@upstash/qstash";
import express from "express";

const receiver = new Receiver();
const app = express();

// ---- misuse -------------------------------------------------------------------------------

export async function POST(req: Request) {
  const signature = req.headers.get("upstash-signature")!;
  const body = await req.text();
  // ruleid: upstash-qstash-verify-result-check-is-dead
  if (!(await receiver.verify({ signature, body }))) {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

// The Upstash docs' shape, without a try/catch.
export async function PUT(req: Request) {
  const body = await req.text();
  const isValid = await receiver.verify({
    signature: req.headers.get("upstash-signature") ?? "",
    body,
    url: req.url,
  });
  // ruleid: upstash-qstash-verify-result-check-is-dead
  if (!isValid) {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

// A Cloudflare Worker with the receiver built per request; 403 branch never taken.
export const worker = {
  async fetch(request: Request, env: { CURRENT: string; NEXT: string }) {
    const qstashReceiver = new Receiver({ currentSigningKey: env.CURRENT, nextSigningKey: env.NEXT });
    const verified = await qstashReceiver.verify({
      signature: request.headers.get("Upstash-Signature") ?? "",
      body: await request.text(),
      url: request.url,
    });
    // ruleid: upstash-qstash-verify-result-check-is-dead
    if (verified !== true) return new Response(null, { status: 403 });
    return new Response("done");
  },
};

app.post("/jobs", express.text(), async (req, res) => {
  let valid: boolean;
  valid = await receiver.verify({ signature: req.get("upstash-signature")!, body: req.body });
  // ruleid: upstash-qstash-verify-result-check-is-dead
  if (valid === false) return res.status(401).end();
  res.sendStatus(200);
});

const r = new Receiver();
export async function PATCH(req: Request) {
  const signature = req.headers.get("upstash-signature")!;
  // ruleid: upstash-qstash-verify-result-check-is-dead
  return (await r.verify({ signature, body: await req.text() })) !== true
    ? new Response("no", { status: 403 })
    : new Response("ok");
}

// ---- correct ------------------------------------------------------------------------------

export async function good(req: Request) {
  const signature = req.headers.get("upstash-signature")!;
  try {
    const isValid = await receiver.verify({ signature, body: await req.text() });
    // ok: upstash-qstash-verify-result-check-is-dead
    if (!isValid) return new Response("invalid signature", { status: 401 });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

export async function goodInline(req: Request) {
  try {
    // ok: upstash-qstash-verify-result-check-is-dead
    if (!(await receiver.verify({ signature: req.headers.get("upstash-signature")!, body: await req.text() }))) {
      return new Response("invalid signature", { status: 401 });
    }
  } catch (error) {
    return new Response("invalid signature", { status: 401 });
  } finally {
    console.log("checked");
  }
  return new Response("ok");
}

// A rejection turned into false before the check is fine.
export async function caught(req: Request) {
  const ok = await receiver
    .verify({ signature: req.headers.get("upstash-signature")!, body: await req.text() })
    .catch(() => false);
  // ok: upstash-qstash-verify-result-check-is-dead
  if (!ok) return new Response("invalid signature", { status: 401 });
  return new Response("ok");
}

// Some other verify() that really can return false.
declare const hmac: { verify(input: { payload: string; mac: string }): Promise<boolean> };
export async function other(payload: string, mac: string) {
  const ok = await hmac.verify({ payload, mac });
  // ok: upstash-qstash-verify-result-check-is-dead
  if (!ok) return "rejected";
  return "accepted";
}
