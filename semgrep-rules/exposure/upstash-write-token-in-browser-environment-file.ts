// Test cases for upstash-write-token-in-browser-environment-file. The rule runs only on
// files under an `environments/` folder (Angular's src/environments/environment*.ts); every
// value below is generated and belongs to no database.

export const environment = {
  production: true,
  upstash: {
    url: "https://quiet-lynx-51858.upstash.io",
    // ruleid: upstash-write-token-in-browser-environment-file
    token: "AQOzAAIlcDJjMjZlMjI0NGE5ZDY0NmI3YTY2MWMyMzg5MzRjMTczZXAyOTQ3",
  },
  vector: {
    url: "https://fine-walrus-9841-us1-vector.upstash.io",
    // ruleid: upstash-write-token-in-browser-environment-file
    token: 'ABQFMGZpbmUtd2FscnVzLTk4NDEtdXMxYWRtaW5NekptTVRJeFpXSXRabVEyTVMwME9XTTVMVGc1T0RJdE0yUTFNVGc0TldKak5USTE=',
  },
  // A read-only token in the bundle still lets anyone read the data, but it is the
  // detect-secrets plugin's and the .env rules' INFO case, not this ERROR.
  // ok: upstash-write-token-in-browser-environment-file
  analyticsReadToken: "Aj0QAAIgcDJNuGh7_nZAQj197CyK81v3-Lxpx-nUUYyiWMsZbgPFzA",
  // ok: upstash-write-token-in-browser-environment-file
  searchReadToken: "ABQIMGZpbmUtd2FscnVzLTk4NDEtdXMxcmVhZG9ubHlabUUwTURrelpEQXROVGt4TUMwME16TXdMVGsyTVRNdFpUZzRPRGc0WVdVMFpXUmg=",
  // ok: upstash-write-token-in-browser-environment-file
  redisRestUrl: "https://quiet-lynx-51858.upstash.io",
  // ok: upstash-write-token-in-browser-environment-file
  placeholder: "YOUR_UPSTASH_REDIS_REST_TOKEN",
};

// ruleid: upstash-write-token-in-browser-environment-file
export const UPSTASH_TOKEN = `AYG8AAIncDI1OGYxYzhlN2YxMWRhYjJjZGY3MTIxNmEyOGZhOTgyMnAyMzMyMTI`;
