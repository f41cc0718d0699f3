import { Redis } from "@upstash/redis";

// Example from the docs, left as a placeholder: not reported.
// const redis = new Redis({ url: "https://<host>.upstash.io", token: "AXXXxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" });

export const redis = new Redis({
  url: "https://us1-tidy-mole-8455.upstash.io",
  token: "ASEHASQgZWM4ZmEwYTUtOTM3ZC00ZTk1LTgxZDEtMTg1NjZlZDE0Zjk5TcWNvIpw64KjpX6Pd66Jn82pRrPy5BWLJNecgmHQZ78=",
});
