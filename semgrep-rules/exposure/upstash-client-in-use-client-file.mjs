'use strict';
'use client';
// Test cases for upstash-client-in-use-client-file.yaml: directive prologue, require().
const { Redis } = require("@upstash/redis");
const { Index } = require("@upstash/vector");

export function makeClients() {
  // ruleid: upstash-client-in-use-client-file
  const redis = new Redis({ url: window.location.origin, token: globalThis.upstashToken });
  // ruleid: upstash-client-in-use-client-file
  const index = new Index();
  return [redis, index];
}
