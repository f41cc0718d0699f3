// Correct: the module verifies the signature, so reading the delivery headers is fine.
import { Receiver } from "@upstash/qstash";

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

export async function POST(req: Request) {
  const body = await req.text();
  try {
    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
  } catch {
    return new Response("unauthorized", { status: 401 });
  }
  // ok: upstash-qstash-delivery-signature-never-checked
  const retried = Number(req.headers.get("upstash-retried") ?? 0);
  await processJob(JSON.parse(body), retried);
  return new Response("ok");
}
