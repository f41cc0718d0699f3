// Test cases for upstash-qstash-verify-without-url.
import { Receiver } from "@upstash/qstash";

const receiver = new Receiver();

export async function POST(request: Request) {
  const body = await request.text();
  try {
    // ruleid: upstash-qstash-verify-without-url
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

export async function PUT(request: Request) {
  const body = await request.text();
  try {
    // ok: upstash-qstash-verify-without-url
    await receiver.verify({ signature: request.headers.get("upstash-signature") ?? "", body, url: request.url });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

export async function PATCH(request: Request, url: string) {
  const body = await request.text();
  try {
    // ok: upstash-qstash-verify-without-url
    await receiver.verify({ body, url, clockTolerance: 5, signature: request.headers.get("upstash-signature") ?? "" });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}

export async function DELETE(request: Request, common: { url: string; clockTolerance: number }) {
  const body = await request.text();
  try {
    // ok: upstash-qstash-verify-without-url
    await receiver.verify({ ...common, signature: request.headers.get("upstash-signature") ?? "", body });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  return new Response("ok");
}
