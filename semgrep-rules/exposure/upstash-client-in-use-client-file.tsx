/**
 * Test cases for upstash-client-in-use-client-file.yaml: a client component.
 */
// eslint-disable-next-line
"use client";

import { useEffect, useState } from "react";
import { Redis } from "@upstash/redis";
import { Index } from "@upstash/vector";
import { Client, Receiver } from "@upstash/qstash";
import * as upstash from "@upstash/redis";
import * as qstashSdk from "@upstash/qstash";

// ruleid: upstash-client-in-use-client-file
const namespaced = upstash.Redis.fromEnv();
// ruleid: upstash-client-in-use-client-file
const namespacedQstash = new qstashSdk.Client({ token: process.env.NEXT_PUBLIC_QSTASH_TOKEN! });

// ruleid: upstash-client-in-use-client-file
const redis = Redis.fromEnv();

// ruleid: upstash-client-in-use-client-file
const kv = new Redis({ url: process.env.NEXT_PUBLIC_KV_REST_API_URL!, token: process.env.NEXT_PUBLIC_KV_REST_API_TOKEN! });

// ruleid: upstash-client-in-use-client-file
const index = new Index();

// ruleid: upstash-client-in-use-client-file
const qstash = new Client({ token: process.env.NEXT_PUBLIC_QSTASH_TOKEN! });

// ok: upstash-client-in-use-client-file
const readOnly = new Redis({ url: process.env.NEXT_PUBLIC_KV_REST_API_URL!, token: process.env.NEXT_PUBLIC_KV_REST_API_READ_ONLY_TOKEN! });

// An Index with explicit config is judged by what it is given (public env / literal rules).
// ok: upstash-client-in-use-client-file
const scoped = new Index({ url: process.env.NEXT_PUBLIC_VECTOR_URL!, token: process.env.NEXT_PUBLIC_VECTOR_READONLY_TOKEN! });

export function Counter() {
  const [count, setCount] = useState(0);
  useEffect(() => {
    // ruleid: upstash-client-in-use-client-file
    const client = new Redis({
      url: "https://brave-otter-10123.upstash.io",
      token: process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN!,
    });
    client.incr("count").then(setCount);
  }, []);
  return <p>{count}</p>;
}

export function Verify() {
  // ruleid: upstash-client-in-use-client-file
  const receiver = new Receiver({ currentSigningKey: "", nextSigningKey: "" });
  return <p>{String(receiver)}</p>;
}
