/**
 * Static files of the explorer (the Vite build in dist/web): GET/HEAD of files under one directory, with
 * content types, index.html for unknown paths (the single-page app routes itself), never a file outside
 * the directory (decoded paths are resolved and checked, symlinks included), and a 503 page saying how to
 * build the app when the directory is missing.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const MISSING_PAGE = (dir: string): string => `<!doctype html>
<html><head><meta charset="utf-8"><title>featlearn explorer: not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>The explorer is not built</h1>
<p>featlearn serve found no web app in <code>${escapeHtml(dir)}</code>.</p>
<p>Run <code>npm run build:web</code> in the featlearn folder, then reload this page.
The API (<a href="/api/health">/api/health</a>) works without it.</p>
</body></html>
`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

/** Serves req (a GET or HEAD outside /api) from `root`. */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): Promise<void> {
  const head = req.method === 'HEAD';
  const rootAbs = resolve(root);
  let rootReal: string;
  try {
    rootReal = await realpath(rootAbs);
    if (!(await stat(rootReal)).isDirectory()) throw new Error('not a directory');
  } catch {
    send(res, 503, 'text/html; charset=utf-8', MISSING_PAGE(rootAbs), head);
    return;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    send(res, 400, 'text/plain; charset=utf-8', 'bad path encoding\n', head);
    return;
  }
  if (decoded.includes('\0')) {
    send(res, 400, 'text/plain; charset=utf-8', 'bad path\n', head);
    return;
  }
  const wanted = resolve(rootReal, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  const inside = (p: string): boolean => p === rootReal || p.startsWith(rootReal + sep);
  if (!inside(wanted)) {
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
    return;
  }
  let file: string | null = null;
  for (const candidate of [wanted, join(wanted, 'index.html')]) {
    if (await isFile(candidate)) {
      try {
        const real = await realpath(candidate);
        if (inside(real)) {
          file = real;
          break;
        }
      } catch {
        // vanished: fall through
      }
    }
  }
  // Unknown paths: the app's index.html (client-side state lives in the URL); but a missing asset
  // (a name with an extension) is a plain 404 so that broken builds are visible.
  if (file === null) {
    const index = join(rootReal, 'index.html');
    if (extname(decoded) === '' && (await isFile(index))) file = index;
    else {
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
      return;
    }
  }
  const size = (await stat(file)).size;
  const headers: Record<string, string | number> = {
    'content-type': contentType(file),
    'content-length': size,
    'x-content-type-options': 'nosniff',
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300',
  };
  res.writeHead(200, headers);
  if (head) {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
