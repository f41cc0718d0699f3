'use client'
// Test cases for upstash-client-in-use-client-file.yaml: a client component that uses
// another library's `Client` next to Upstash Redis.
import { Client } from "some-other-sdk";
import { Redis } from "@upstash/redis";
import { incrementCounter } from "./actions";

// ok: upstash-client-in-use-client-file
const other = new Client({ apiKey: "public" });

export default function Button() {
  // ruleid: upstash-client-in-use-client-file
  const redis = Redis.fromEnv();
  // ok: upstash-client-in-use-client-file
  return <button onClick={() => incrementCounter(redis)}>+1</button>;
}
