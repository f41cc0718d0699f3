// Test cases for qstash-receiver-dev-mode.
import { Receiver } from "@upstash/qstash";
import { Receiver as QStashReceiver } from "@upstash/qstash";
import * as qstash from "@upstash/qstash";
import { serve } from "@upstash/workflow/nextjs";

// ---- misuse -------------------------------------------------------------------------------

// ruleid: upstash-qstash-receiver-dev-mode
export const receiver = new Receiver({ devMode: true });

export const aliased =
  // ruleid: upstash-qstash-receiver-dev-mode
  new QStashReceiver({
    currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
    nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
    devMode: true,
  });

// ruleid: upstash-qstash-receiver-dev-mode
export const namespaced = new qstash.Receiver({ devMode: true });

export const { POST } = serve(async (context) => {
  await context.run("step", () => "done");
}, {
  // ruleid: upstash-qstash-receiver-dev-mode
  receiver: new Receiver({ devMode: true }),
});

// ---- correct ------------------------------------------------------------------------------

// ok: upstash-qstash-receiver-dev-mode
export const production = new Receiver({ devMode: false });
// ok: upstash-qstash-receiver-dev-mode
export const fromEnv = new Receiver();
// ok: upstash-qstash-receiver-dev-mode
export const keys = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

// Something else with a devMode flag.
declare class Logger { constructor(options: { devMode: boolean }); }
// ok: upstash-qstash-receiver-dev-mode
export const logger = new Logger({ devMode: true });

// ---- the verifying wrappers take devMode too -------------------------------------------------

import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";

async function jobHandler(req: Request) {
  return new Response("ok");
}

// ruleid: upstash-qstash-receiver-dev-mode
export const POST = verifySignatureAppRouter(jobHandler, { devMode: true });

// ok: upstash-qstash-receiver-dev-mode
export const PUT = verifySignatureAppRouter(jobHandler, { clockTolerance: 5 });
