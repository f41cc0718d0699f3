// Test cases for upstash-hardcoded-token-in-bearer-header.
// Every token below was generated for this file (detect_secrets_upstash.tokens) and belongs
// to no account.
"use client";

import { useEffect, useState } from "react";

const REST_URL = "https://example-otter-10002.upstash.io";

export function Leaderboard() {
  const [rows, setRows] = useState<string[]>([]);
  useEffect(() => {
    fetch(`${REST_URL}/zrange/scores/0/9/REV`, {
      // ruleid: upstash-hardcoded-token-in-bearer-header
      headers: { Authorization: "Bearer AebMAAIncDE0ZjkxYzI5YzlhMjQwN2MyNzUyZmJlNjVjMGZmZDZlNHAxNTkwODQ" },
    })
      .then((r) => r.json())
      .then((d) => setRows(d.result ?? []));
  }, []);
  return rows.length;
}

export async function upsertVector(id: string, vector: number[]) {
  return fetch("https://example-vector-10003.upstash.io/upsert", {
    method: "POST",
    // ruleid: upstash-hardcoded-token-in-bearer-header
    headers: { authorization: 'Bearer ABUFMHF1aWV0LW90dGVyLTIxNzE2LXVzMWFkbWluWlRBMllXTTNNelF0TlRnME5TMDBOVEU1TFdJM1kyTXRZV1U0WkdFMk5qZGlOVGt4', "content-type": "application/json" },
    body: JSON.stringify({ id, vector }),
  });
}

export async function fromTheServerEnv(key: string) {
  return fetch(`${process.env.UPSTASH_REDIS_REST_URL}/get/${key}`, {
    // ok: upstash-hardcoded-token-in-bearer-header
    headers: { Authorization: `Bearer ${process.env.UPSTASH_REDIS_REST_TOKEN}` },
  });
}

// ok: upstash-hardcoded-token-in-bearer-header
const example = "Bearer <your-upstash-redis-rest-token>";

// A Fresh island (or any component) building the header from a constant: the constant is
// shipped with the island.
const UPSTASH_TOKEN = "AaEkAAIncDIzMWNhY2VkY2ZmMWY5YTFlMDE5ZGIzZWU4ZTY0NWQwYnAyNDEyNTI";
const READ_TOKEN = "Aoh2AAIgcDISp_Cfo5j6L3hTBw50BcF_c30MDL15QPO2hz_Yti3CJw";
const REST_URL = "https://witty-otter-3711.upstash.io";

export function HitCounter() {
  async function hit() {
    await fetch(`${REST_URL}/incr/hits`, {
      // ruleid: upstash-hardcoded-token-in-bearer-header
      headers: { Authorization: `Bearer ${UPSTASH_TOKEN}` },
    });
    await fetch(`${REST_URL}/get/hits`, {
      // ruleid: upstash-hardcoded-token-in-bearer-header
      headers: { Authorization: "Bearer " + UPSTASH_TOKEN },
    });
    // a read-only token is not this rule's
    // ok: upstash-hardcoded-token-in-bearer-header
    await fetch(`${REST_URL}/get/hits`, { headers: { Authorization: `Bearer ${READ_TOKEN}` } });
  }
  return <button onClick={hit}>+1</button>;
}
