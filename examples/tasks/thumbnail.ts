import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Jimp } from 'jimp';
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

/** Where the demo writes thumbnails; a real app would upload them to object storage. */
const OUT_DIR = join(tmpdir(), 'docket-thumbnails');

/**
 * Makes thumbnails of an uploaded image. Decoding, resizing and encoding are
 * CPU-bound (tens to hundreds of ms per image), so the task runs in a worker
 * thread: the worker's event loop stays free to renew leases and claim other
 * jobs, and a resize that passes its timeout has its thread terminated.
 *
 * The demo has no uploads, so it paints the "upload" itself: a gradient with
 * a grid, `width`×`height` pixels.
 */
export default defineTask({
  name: 'thumbnail',
  queue: 'images',
  isolation: 'thread',
  timeout: '30s',
  retry: { attempts: 2 },
  input: z.object({
    imageId: z.string().min(1).max(64),
    width: z.number().int().min(16).max(4096).default(1600),
    height: z.number().int().min(16).max(4096).default(1200),
    sizes: z.array(z.number().int().min(8).max(1024)).min(1).max(8).default([64, 256, 512]),
  }),
  async run(input, ctx) {
    const source = paint(input.width, input.height);
    const original = await source.getBuffer('image/png');
    await mkdir(OUT_DIR, { recursive: true });
    const thumbnails: { size: number; bytes: number; path: string }[] = [];
    for (const [i, size] of input.sizes.entries()) {
      ctx.signal.throwIfAborted();
      const image = await Jimp.read(original);
      image.scaleToFit({ w: size, h: size });
      const bytes = await image.getBuffer('image/jpeg', { quality: 80 });
      const path = join(OUT_DIR, `${input.imageId.replace(/[^\w.-]/g, '_')}-${size}.jpg`);
      await writeFile(path, bytes);
      thumbnails.push({ size, bytes: bytes.length, path });
      await ctx.progress(Math.round(((i + 1) / input.sizes.length) * 100));
    }
    ctx.log.info(
      `${input.imageId}: ${thumbnails.length} thumbnails from a ${input.width}×${input.height} source`,
    );
    return { imageId: input.imageId, sourceBytes: original.length, thumbnails };
  },
});

/** A gradient with a grid: enough detail that resizing does real work. */
function paint(width: number, height: number): InstanceType<typeof Jimp> {
  const image = new Jimp({ width, height, color: 0xffffffff });
  const data = image.bitmap.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      const grid = x % 64 < 2 || y % 64 < 2;
      data[at] = grid ? 20 : Math.round((x / width) * 255);
      data[at + 1] = grid ? 20 : Math.round((y / height) * 255);
      data[at + 2] = grid ? 20 : 160;
      data[at + 3] = 255;
    }
  }
  return image;
}
