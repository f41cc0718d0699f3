"use client";
// A `kv` client built in the component module: one finding, where it is created.
import { createClient } from "@vercel/kv";
import { useEffect, useState } from "react";

// ruleid: upstash-client-in-use-client-file
const kv = createClient({
  url: "https://brave-otter-10123.kv.vercel-storage.com",
  token: window.kvToken,
});

export function Views({ slug }: { slug: string }) {
  const [views, setViews] = useState<number | null>(null);
  useEffect(() => {
    // ok: upstash-client-in-use-client-file
    kv.get<number>(`views:${slug}`).then(setViews);
  }, [slug]);
  return <span>{views ?? "..."}</span>;
}
