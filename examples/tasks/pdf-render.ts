import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

const OUT_DIR = join(tmpdir(), 'docket-invoices');

/**
 * Renders an invoice to PDF. Renderers are the classic case for process
 * isolation: real ones (headless Chromium, Ghostscript, native PDF
 * libraries) leak memory, hold file handles and now and then crash outright.
 * In a child process a crash fails only this attempt (with its exit code or
 * signal) and is retried; a leak is cut off by the process's memory limit or
 * by recycling it after N jobs. This demo writes the PDF by hand, so it needs
 * no native code — the isolation is what it shows.
 */
export default defineTask({
  name: 'pdf-render',
  queue: 'documents',
  isolation: 'process',
  timeout: '1m',
  retry: { attempts: 3, backoff: { type: 'exponential', base: '2s', max: '1m' } },
  input: z.object({
    invoiceId: z.string().min(1).max(64),
    customer: z.string().min(1).max(200),
    lines: z
      .array(
        z.object({ item: z.string().max(120), quantity: z.number().int().min(1), cents: z.number().int() }),
      )
      .min(1)
      .max(200),
  }),
  async run(input, ctx) {
    const total = input.lines.reduce((sum, line) => sum + line.quantity * line.cents, 0);
    const text = [
      `Invoice ${input.invoiceId}`,
      `Bill to: ${input.customer}`,
      '',
      ...input.lines.map((l) => `${l.quantity} x ${l.item}  ${money(l.quantity * l.cents)}`),
      '',
      `Total due: ${money(total)}`,
    ];
    const pdf = renderPdf(text);
    await mkdir(OUT_DIR, { recursive: true });
    const path = join(OUT_DIR, `${input.invoiceId.replace(/[^\w.-]/g, '_')}.pdf`);
    await writeFile(path, pdf);
    ctx.log.info(`invoice ${input.invoiceId}: ${pdf.length} bytes, rendered in pid ${process.pid}`);
    return { invoiceId: input.invoiceId, path, bytes: pdf.length, totalCents: total };
  },
});

function money(cents: number): string {
  return `${(cents / 100).toFixed(2)} EUR`;
}

/** A one-page PDF 1.4 with lines of Helvetica text: objects, a content stream and the xref table. */
function renderPdf(lines: string[]): Buffer {
  const pdfText = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
  const content = [
    'BT',
    '/F1 12 Tf',
    '14 TL',
    '50 780 Td',
    ...lines.map((l) => `(${pdfText(l)}) '`),
    'ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
