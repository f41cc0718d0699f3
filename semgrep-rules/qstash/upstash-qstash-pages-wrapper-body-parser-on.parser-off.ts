// The same route with the body parser off, as the wrapper needs.
import type { NextApiRequest, NextApiResponse } from "next";
import { verifySignature } from "@upstash/qstash/nextjs";

async function handler(req: NextApiRequest, res: NextApiResponse) {
  await sendDigest(req.body.userId);
  res.status(200).json({ sent: true });
}

// ok: upstash-qstash-pages-wrapper-body-parser-on
export default verifySignature(handler);

export const config = {
  api: {
    bodyParser: false,
  },
};
