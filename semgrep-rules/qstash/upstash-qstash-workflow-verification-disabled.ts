// Test cases for qstash-workflow-verification-disabled.
import { Receiver } from "@upstash/qstash";
import { serve, servePagesRouter } from "@upstash/workflow/nextjs";
import { serve as honoServe, createWorkflow, serveMany } from "@upstash/workflow/hono";
import * as workflow from "@upstash/workflow/express";

// ---- misuse -------------------------------------------------------------------------------

export const { POST } = serve(
  async (context) => {
    await context.run("charge", () => "charged");
  },
  // ruleid: upstash-qstash-workflow-verification-disabled
  { receiver: undefined },
);

// ruleid: upstash-qstash-workflow-verification-disabled
export const hono = honoServe(async (context) => { await context.sleep("wait", 1); }, { receiver: null, retries: 1 });

export const child = createWorkflow(
  async (context) => { await context.run("s", () => 1); },
  // ruleid: upstash-qstash-workflow-verification-disabled
  { receiver: undefined },
);

// Type arguments on serve.
export const typed = serve<{ orderId: string }>(async (context) => {
  await context.run("ship", () => context.requestPayload.orderId);
  // ruleid: upstash-qstash-workflow-verification-disabled
}, { retries: 2, receiver: undefined });

// ruleid: upstash-qstash-workflow-verification-disabled
export const router = workflow.serve(async (context) => { await context.run("x", () => 1); }, { receiver: false });

// A cast to quiet the type checker, and a spread of shared options.
declare const sharedOptions: { retries: number };
export const casted = serve(async (context) => { await context.run("x", () => 1); }, {
  ...sharedOptions,
  // ruleid: upstash-qstash-workflow-verification-disabled
  receiver: undefined as any,
});

// Verification chosen by the deployment: off wherever the condition holds.
const isDev = process.env.NODE_ENV !== "production";
export const { POST: devOff } = serve(async (context) => {
  await context.run("report", () => "sent");
}, {
  // ruleid: upstash-qstash-workflow-verification-disabled
  receiver: isDev ? undefined : new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! }),
});

export const keysOptional = honoServe(async (context) => { await context.run("s", () => 1); }, {
  // ruleid: upstash-qstash-workflow-verification-disabled
  receiver: process.env.QSTASH_CURRENT_SIGNING_KEY
    ? new Receiver({
        currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY,
        nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
      })
    : undefined,
});

// ---- correct ------------------------------------------------------------------------------

// ok: upstash-qstash-workflow-verification-disabled
export const verifiedFromEnv = serve(async (context) => { await context.run("s", () => 1); });

export const explicit = serve(
  async (context) => { await context.run("s", () => 1); },
  // ok: upstash-qstash-workflow-verification-disabled
  {
    receiver: new Receiver({
      currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
      nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
    }),
  },
);

// ok: upstash-qstash-workflow-verification-disabled
export const many = serveMany({ child });

// Unrelated options object with a receiver field.
declare function notify(to: string, options: { receiver?: string }): void;
// ok: upstash-qstash-workflow-verification-disabled
notify("ops", { receiver: undefined });

// A ternary choosing between two receivers keeps verification on.
const previewKeys = process.env.VERCEL_ENV === "preview";
export const twoReceivers = serve(async (context) => { await context.run("s", () => 1); }, {
  // ok: upstash-qstash-workflow-verification-disabled
  receiver: previewKeys
    ? new Receiver({ currentSigningKey: process.env.PREVIEW_QSTASH_CURRENT_SIGNING_KEY!, nextSigningKey: process.env.PREVIEW_QSTASH_NEXT_SIGNING_KEY! })
    : new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! }),
});

// An optional field of the options left undefined by a ternary elsewhere is not the receiver.
export const retried = serve(async (context) => { await context.run("s", () => 1); }, {
  // ok: upstash-qstash-workflow-verification-disabled
  retries: isDev ? undefined : 3,
});

// Next.js Pages Router: servePagesRouter takes the same options.
const pagesWorkflow = servePagesRouter<{ userId: string }>(
  async (context) => {
    await context.run("welcome", () => sendWelcome(context.requestPayload.userId));
  },
  // ruleid: upstash-qstash-workflow-verification-disabled
  { receiver: undefined },
);

const pagesWorkflowVerified = servePagesRouter<{ userId: string }>(
  async (context) => {
    await context.run("welcome", () => sendWelcome(context.requestPayload.userId));
  },
  // ok: upstash-qstash-workflow-verification-disabled
  { receiver: new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! }) },
);

// ---- the options or the receiver held in a variable ---------------------------------------

const workflowOptions = {
  retries: 2,
  receiver: undefined,
};

// ruleid: upstash-qstash-workflow-verification-disabled
export const onboarding = serve(async (context) => {
  await context.run("welcome", () => "sent");
}, workflowOptions);

const isProduction = process.env.VERCEL_ENV === "production";
const chosenReceiver = isProduction
  ? new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! })
  : undefined;

// ruleid: upstash-qstash-workflow-verification-disabled
export const billing = workflow.serve(async (context) => {
  await context.run("bill", () => "billed");
}, { receiver: chosenReceiver });

const verifiedOptions = {
  // ok: upstash-qstash-workflow-verification-disabled
  receiver: new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! }),
};

export const audited = serve(async (context) => {
  await context.run("audit", () => "done");
}, verifiedOptions);

const alwaysReceiver = new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! });

// ok: upstash-qstash-workflow-verification-disabled
export const reports = serve(async (context) => { await context.sleep("wait", 1); }, { receiver: alwaysReceiver });
