// Test cases for upstash-qstash-pages-wrapper-body-parser-on (a Pages Router API route,
// pages/api/cron/digest.ts, leaving the body parser on).
import type { NextApiRequest, NextApiResponse } from "next";
import { verifySignature } from "@upstash/qstash/nextjs";

async function handler(req: NextApiRequest, res: NextApiResponse) {
  await sendDigest(req.body.userId);
  res.status(200).json({ sent: true });
}

// ruleid: upstash-qstash-pages-wrapper-body-parser-on
export default verifySignature(handler);
