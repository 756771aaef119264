// A static file server on 127.0.0.1 for the headless-browser check (stops after 120 s).
//   node serve.mjs PORT_FILE /prefix=DIR ...
// Serves each DIR under its prefix with the right MIME types (application/wasm for .wasm,
// so the browser can compile while downloading) and writes the chosen port to PORT_FILE.
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const [portFile, ...mounts] = process.argv.slice(2);
const roots = mounts.map((m) => {
  const i = m.indexOf('=');
  return [m.slice(0, i), m.slice(i + 1)];
});
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  for (const [prefix, dir] of roots) {
    if (!path.startsWith(prefix + '/')) continue;
    const rel = normalize(path.slice(prefix.length + 1) || 'index.html');
    if (rel.startsWith('..')) break;
    try {
      const body = await readFile(join(dir, rel));
      res.writeHead(200, { 'content-type': types[extname(rel)] ?? 'application/octet-stream' });
      res.end(body);
      return;
    } catch {
      break;
    }
  }
  res.writeHead(404).end('not found');
});
server.listen(0, '127.0.0.1', async () => {
  await writeFile(portFile, String(server.address().port));
});
setTimeout(() => server.close(() => process.exit(0)), 120_000).unref();
