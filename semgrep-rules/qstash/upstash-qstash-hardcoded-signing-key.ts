// Test cases for upstash-qstash-hardcoded-signing-key.
// Every key below was generated for this file (detect_secrets_upstash.tokens.generate_signing_key)
// and belongs to no account.
import { Receiver } from "@upstash/qstash";
import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";
import { serve } from "@upstash/workflow/nextjs";

// ---- misuse -------------------------------------------------------------------------------

// A random key may hold four equal characters in a row (about one in 8,000 does): still a key.
// ruleid: upstash-qstash-hardcoded-signing-key
export const rollingKey = "sig_ms6Bvffff6e3HMwKz8EuWr9ZXwVc";

export const receiver = new Receiver({
  // ruleid: upstash-qstash-hardcoded-signing-key
  currentSigningKey: "sig_AK6ZS1jqyqfLGr6LTcGmjacimkED",
  // ruleid: upstash-qstash-hardcoded-signing-key
  nextSigningKey: 'sig_U7F9gwHZf6sJ2U3UYv3vAPv9H2Cn',
});

// A fallback when the environment variable is missing.
export const fallback = new Receiver({
  // ruleid: upstash-qstash-hardcoded-signing-key
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY ?? "sig_iRSK5tQPvoATcfGBn5sjAwcXuK4C",
  // ruleid: upstash-qstash-hardcoded-signing-key
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY || "sig_btENMZfUiibxhXLSK4mc872RdmqH",
});

// Kept in a constant first.
// ruleid: upstash-qstash-hardcoded-signing-key
const CURRENT_KEY = "sig_GU2Ux1M9LyvTQcW5L6uJ3xUcH6K9";
export const POST = verifySignatureAppRouter(async () => new Response("ok"), {
  currentSigningKey: CURRENT_KEY,
  // ruleid: upstash-qstash-hardcoded-signing-key
  nextSigningKey: "sig_8FSu2gEncRHinGGAQhHLAPdGFLGQ",
});

export const workflow = serve(async (context) => { await context.run("s", () => 1); }, {
  receiver: new Receiver({
    // ruleid: upstash-qstash-hardcoded-signing-key
    currentSigningKey: "sig_AK6ZS1jqyqfLGr6LTcGmjacimkED",
    nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
  }),
});

// Older keys were longer (about 50 base58 characters).
import { verifySignature } from "@upstash/qstash/nextjs";
export default verifySignature(async (_req: unknown, res: { end(): void }) => res.end(), {
  // ruleid: upstash-qstash-hardcoded-signing-key
  currentSigningKey: "sig_FyB5e7QFobtEHHSkFXDhgz1tiHjNfFKAogDNRuRCESfL7ySWNg",
  // ruleid: upstash-qstash-hardcoded-signing-key
  nextSigningKey: "sig_v8qKRC8gQMWJTVcePtvvK7tnrgTF4yfuTSBiDhQQUL25JNzPE",
});

// ---- correct ------------------------------------------------------------------------------

export const fromEnv = new Receiver({
  // ok: upstash-qstash-hardcoded-signing-key
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  // ok: upstash-qstash-hardcoded-signing-key
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

export const placeholders = new Receiver({
  // ok: upstash-qstash-hardcoded-signing-key
  currentSigningKey: "sig_xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  // ok: upstash-qstash-hardcoded-signing-key
  nextSigningKey: "<QSTASH_NEXT_SIGNING_KEY>",
});

// ok: upstash-qstash-hardcoded-signing-key
export const prefixOnly = (key: string) => key.startsWith("sig_");

// ---- the local dev server's published keys: INFO, not a leaked secret -------------------------

export const devReceiver = new Receiver({
  // ruleid: upstash-qstash-dev-server-signing-key
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY ?? "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
  // ruleid: upstash-qstash-dev-server-signing-key
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY ?? "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs",
});
