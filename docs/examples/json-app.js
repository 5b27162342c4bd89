// A service of your own for cluster-sched-bench: run it with
//   npm run bench -- --app docs/examples/json-app.js --policy rr,none,lc
// The default export is a node:http request listener; the tool serves it in every worker and adds
// its x-worker-pid header and counters around it (docs/apps.md). The load sends GET /.
import { gzipSync } from 'node:zlib';

// The data the service holds, built once per worker.
const catalog = Array.from({ length: 200 }, (_, i) => ({
  id: i,
  name: `item ${i}`,
  price: ((i * 7919) % 1000) / 10,
  tags: ['new', 'sale', 'gift'].slice(0, 1 + (i % 3)),
}));
const stored = JSON.stringify(catalog);

export default function handler(req, res) {
  // Real work on every request: parse the stored catalog, filter and sort it, serialize the answer, gzip it.
  const items = JSON.parse(stored)
    .filter((x) => x.price > 50)
    .sort((a, b) => b.price - a.price)
    .slice(0, 20);
  const body = gzipSync(JSON.stringify({ path: req.url, count: items.length, items }));
  res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length });
  res.end(body);
}
