// A local image host, so the photo URLs of the sample listings resolve (HEAD and GET).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The smallest well-formed JPEG: SOI, a 1×1 frame, EOI. Enough for content-type and size checks.
const JPEG = Buffer.from(
  'ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9',
  'hex',
);

const ETAG = '"demo-jpeg-1"';

/** A running image host. */
export interface ImageHost {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Images served so far. */
  readonly served: number;
  close(): Promise<void>;
}

/** Serves the same small JPEG (with an `ETag`) for every path ending in `.jpg`, on 127.0.0.1. */
export async function startImageHost(): Promise<ImageHost> {
  let served = 0;
  const server = createServer((req, res) => {
    if (!req.url?.endsWith('.jpg')) {
      res.writeHead(404).end();
      return;
    }
    // One image, one validator: a client that holds it asks again with If-None-Match and gets a 304.
    if (req.headers['if-none-match'] === ETAG) {
      res.writeHead(304, { etag: ETAG }).end();
      return;
    }
    served++;
    res.writeHead(200, {
      etag: ETAG,
      'content-type': 'image/jpeg',
      'content-length': JPEG.length,
      'cache-control': 'max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : JPEG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get served() {
      return served;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
