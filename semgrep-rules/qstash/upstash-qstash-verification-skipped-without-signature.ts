// Test cases for upstash-qstash-verification-skipped-without-signature.
import { Receiver } from "@upstash/qstash";
import express from "express";

const receiver = new Receiver();
const app = express();

// ---- misuse -------------------------------------------------------------------------------

export async function POST(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("upstash-signature");
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (signature) {
    try {
      await receiver.verify({ signature, body, url: req.url });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
  }
  return new Response("processed");
}

app.post("/jobs", express.text(), async (req, res) => {
  const sig = req.get("upstash-signature");
  // ruleid: upstash-qstash-verification-skipped-without-signature
  if (sig !== undefined) {
    try {
      await receiver.verify({ signature: sig, body: req.body });
    } catch {
      return res.sendStatus(401);
    }
  }
  res.sendStatus(200);
});

// ---- correct ------------------------------------------------------------------------------

export async function PUT(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("upstash-signature");
  // ok: upstash-qstash-verification-skipped-without-signature
  if (!signature) return new Response("missing signature", { status: 401 });
  try {
    await receiver.verify({ signature, body, url: req.url });
  } catch {
    return new Response("Unauthorized", { status: 401 });
  }
  return new Response("processed");
}

export async function PATCH(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("upstash-signature");
  // ok: upstash-qstash-verification-skipped-without-signature
  if (signature) {
    try {
      await receiver.verify({ signature, body, url: req.url });
    } catch {
      return new Response("Unauthorized", { status: 401 });
    }
  } else {
    return new Response("missing signature", { status: 401 });
  }
  return new Response("processed");
}
