// Writes NAME.gz and NAME.br beside each text file under a directory (the
// vendored front-end files of web/static/vendor), at the best compression
// each format has. Brotli's best is too slow to run at every server start
// (about a second for ECharts), so it runs once here, at `make build`; the
// server embeds these files and checks each against its original when it
// starts (web/encoding.go).
//
//   node web/bundles/precompress.mjs web/static/vendor
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const compressible = new Set(['.js', '.json', '.css', '.svg']);

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* files(path);
    } else if (compressible.has(extname(entry.name))) {
      yield path;
    }
  }
}

for (const path of files(process.argv[2])) {
  const body = readFileSync(path);
  writeFileSync(path + '.gz', gzipSync(body, { level: 9 }));
  writeFileSync(path + '.br', brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length
    }
  }));
}
