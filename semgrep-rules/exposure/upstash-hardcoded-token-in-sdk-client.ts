// Test cases for upstash-hardcoded-token-in-sdk-client.yaml. Every credential below was
// generated with detect_secrets_upstash.tokens and belongs to no account.
import { Redis } from "@upstash/redis";
import * as upstash from "@upstash/redis/cloudflare";
import { Index } from "@upstash/vector";
import { Client } from "@upstash/qstash";

export const redis = new Redis({
  url: "https://brave-otter-10123.upstash.io",
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  token: "ASeLAAIncDI4ZjBlOTVlMzAyZjY1NWIyMzIwNDQyNjJjODcyZDcyNHAyMTAxMjM",
});

// ruleid: upstash-hardcoded-write-token-in-sdk-client
export const wide = new Redis({ url: "https://quiet-walrus-20871.upstash.io", token: 'gQAAAAAAAFGHAAIncDI5NjAyNzYyZTE4ZjJiYTNkYjVmZTIwMjZjZGJkYzUyMHAyMjA4NzE' });

export const legacy = new upstash.Redis({
  url: "https://us1-quiet-walrus-30458.upstash.io",
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  token: `AXb6ASQgYzZiZDA1NTUtMGYwMy00YmZhLWE3Y2MtYTc0NTk4ZWJkNDg5wzM9QMmEalheMHquuwpY90LHyX_IRjWYTdFH7ntPrXw=`,
});

export const index = new Index({
  url: "https://brave-otter-10123-us1-vector.upstash.io",
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  token: "ABUFMGJyYXZlLW90dGVyLTEwMTIzLXVzMWFkbWluTmpKbVltVmhObUl0WWpSaE1TMDBZbVJtTFdJMFpqWXRObVkzTnpnNFlUVXlZalpr",
});

// ruleid: upstash-hardcoded-write-token-in-sdk-client
export const qstash = new Client({ token: "eyJVc2VySUQiOiJmZTM3Y2I1MC1kZjU5LTRiMmEtYmU3NC1lZTljNGEzZWZhY2QiLCJQYXNzd29yZCI6Ijg3ZjQ0ZGRmZjJlZTBjNjVlZjJlYTM1NzNiOTdkZWJmIn0=" });

const token = "ASeLAAIncDI4ZjBlOTVlMzAyZjY1NWIyMzIwNDQyNjJjODcyZDcyNHAyMTAxMjM";
// ruleid: upstash-hardcoded-write-token-in-sdk-client
export const viaConst = new Redis({ url: "https://brave-otter-10123.upstash.io", token });

import { createClient } from "@vercel/kv";
export const vercelKv = createClient({
  url: "https://brave-otter-10123.kv.vercel-storage.com",
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  token: "ASeLAAIncDIzMTI3MzNhMzJhODNjYWIwM2Q5ZmViMmJjMTk5MzRhM3AyMTAxMjM",
});

export const withFallback = new Redis({
  url: process.env.UPSTASH_REDIS_REST_URL ?? "https://fine-gecko-20511.upstash.io",
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  token: process.env.UPSTASH_REDIS_REST_TOKEN ?? "AeakAAIncDJjMDdkMTZmZDhhZWE1ODk4MDMyYWMxY2IzOGZiN2EyNnAyNTkwNDQ",
});

// --- read-only literals: INFO ---
// ruleid: upstash-hardcoded-read-only-token-in-sdk-client
export const vercelKvRo = createClient({ url: "https://brave-otter-10123.kv.vercel-storage.com", token: "AieLAAIgcDJwhEkxoc1sBCJ-sB8cW36B-cfX6ELkW6YpWkxTd8GTTg" });
export const ro = new Redis({
  url: "https://brave-otter-10123.upstash.io",
  // ruleid: upstash-hardcoded-read-only-token-in-sdk-client
  token: "AieLAAIgcDIv-c3koVUd6wSOoQXnH_UVSQPe0l71JoebGQa8o5_jsg",
});
// ruleid: upstash-hardcoded-read-only-token-in-sdk-client
export const ro64 = new Redis({ url: "https://quiet-walrus-20871.upstash.io", token: "ggAAAAAAAFGHAAIgcDLUiQgyqgWG0koUfgsIFOkAqo60pN3CM3cdL2Ohol-p8w" });
// ruleid: upstash-hardcoded-read-only-token-in-sdk-client
export const vro = new Index({ url: "https://brave-otter-10123-us1-vector.upstash.io", token: "ABUIMGJyYXZlLW90dGVyLTEwMTIzLXVzMXJlYWRvbmx5WXpZNU9UbGpNek10TURoa09DMDBZakl4TFRneE1ERXRNREE1TWpZMVl6STJNR05r" });

// --- correct code ---
// ok: upstash-hardcoded-write-token-in-sdk-client
export const fromEnv = new Redis({ url: process.env.UPSTASH_REDIS_REST_URL!, token: process.env.UPSTASH_REDIS_REST_TOKEN! });
// ok: upstash-hardcoded-write-token-in-sdk-client
export const placeholder = new Redis({ url: "UPSTASH_REDIS_REST_URL", token: "UPSTASH_REDIS_REST_TOKEN" });
// ok: upstash-hardcoded-write-token-in-sdk-client
export const random = new Redis({ url: "https://x.upstash.io", token: "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w" });
// ok: upstash-hardcoded-write-token-in-sdk-client
export const yours = new Client({ token: "eyJVc2VySUQiOiJ5b3VyLXVzZXItaWQiLCJQYXNzd29yZCI6InlvdXItcGFzc3dvcmQifQ==" });
// ok: upstash-hardcoded-write-token-in-sdk-client
export const angle = new Redis({ url: "<url>", token: "<your-token>" });
// The QStash dev server's token is public (npx @upstash/qstash-cli dev).
// ok: upstash-hardcoded-write-token-in-sdk-client
export const dev = new Client({ baseUrl: "http://127.0.0.1:8080", token: "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=" });
// ok: upstash-hardcoded-write-token-in-sdk-client
export const tmpl = new Client({ token: `${process.env.QSTASH_TOKEN}` });
