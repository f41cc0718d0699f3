"use client";
// Test cases for upstash-client-in-use-client-file: @upstash/vector and @upstash/search in a client component.
import { Index } from "@upstash/vector";
import { Search } from "@upstash/search";
import { useEffect, useState } from "react";

// ruleid: upstash-client-in-use-client-file
const index = new Index({
  url: process.env.UPSTASH_VECTOR_REST_URL,
  token: process.env.UPSTASH_VECTOR_REST_TOKEN,
});

// ruleid: upstash-client-in-use-client-file
const search = new Search({
  url: process.env.UPSTASH_SEARCH_REST_URL!,
  token: process.env.UPSTASH_SEARCH_REST_TOKEN!,
});

// ok: upstash-client-in-use-client-file
const publicIndex = new Index({
  url: process.env.NEXT_PUBLIC_UPSTASH_VECTOR_REST_URL,
  token: process.env.NEXT_PUBLIC_UPSTASH_VECTOR_READONLY_TOKEN,
});

export function Related({ query }: { query: string }) {
  const [hits, setHits] = useState<unknown[]>([]);
  useEffect(() => {
    index.query({ data: query, topK: 5 }).then(setHits);
    search.index("docs").search({ query }).then(setHits);
  }, [query]);
  return <ul>{hits.length}</ul>;
}
