'use strict';
'use client';
// Test cases for upstash-client-in-use-client-file.yaml: directive prologue, require().
const { Redis } = require("@upstash/redis");
const { Index } = require("@upstash/vector");
import { kv, createClient } from "@vercel/kv";

export function makeClients() {
  // ruleid: upstash-client-in-use-client-file
  const redis = new Redis({ url: window.location.origin, token: globalThis.upstashToken });
  // ruleid: upstash-client-in-use-client-file
  const index = new Index();
  // ruleid: upstash-client-in-use-client-file
  const store = createClient({ url: "https://brave-otter-10123.kv.vercel-storage.com", token: window.kvToken });
  // ok: upstash-client-in-use-client-file
  const reader = createClient({ url: "https://brave-otter-10123.kv.vercel-storage.com", token: window.KV_REST_API_READ_ONLY_TOKEN });
  return [redis, index, store, reader];
}

export async function likes() {
  // ruleid: upstash-client-in-use-client-file
  return kv.get("likes");
}
