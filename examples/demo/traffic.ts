import type { Docket } from '../../src/index.js';

const NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Barbara', 'Ken', 'Radia', 'Edsger', 'Frances', 'Donald'];
const COMMENTS = [
  'Great article, thanks!',
  'FREE MONEY — click here https://win.xyz now',
  'I disagree with the second point.',
  'crypto giveaway!!! click here',
  'ok',
  'Could you share the benchmark code?',
];

/**
 * A web app's stream of background work: signups (welcome emails, some
 * submitted twice), image uploads (thumbnails, in a thread), invoices (PDFs,
 * in a child process), comments (spam checks) and webhook deliveries (one
 * customer's endpoint hangs). Returns a stop function.
 */
export function startTraffic(docket: Docket, options: { ratePerSecond?: number } = {}): () => void {
  const rate = options.ratePerSecond ?? 8;
  let userId = 0;
  let commentId = 0;
  let imageId = 0;
  let invoiceId = 0;
  const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;
  const actions: [number, () => Promise<unknown>][] = [
    [
      3,
      () => {
        const id = ++userId;
        const name = pick(NAMES);
        const input = { userId: id, to: `${name.toLowerCase()}${id}@example.com`, name };
        // One signup in five is double-submitted; the unique key keeps it to one email.
        const twice = Math.random() < 0.2 ? 2 : 1;
        return Promise.all(
          Array.from({ length: twice }, () =>
            docket.enqueue('welcome-email', input, { key: `welcome:${id}` }),
          ),
        );
      },
    ],
    [3, () => docket.enqueue('spam-check', { commentId: ++commentId, text: pick(COMMENTS) })],
    [
      2,
      () =>
        docket.enqueue('deliver-webhook', {
          url: Math.random() < 0.1 ? 'https://slow-customer.example/hook' : 'https://customer.example/hook',
          event: 'invoice.paid',
          payload: { invoice: Math.floor(Math.random() * 1e6) },
        }),
    ],
  ];
  if (docket.registry.has('thumbnail')) {
    actions.push([
      1,
      () =>
        docket.enqueue('thumbnail', {
          imageId: `upload-${++imageId}`,
          width: 800,
          height: 600,
          sizes: [64, 256],
        }),
    ]);
  }
  if (docket.registry.has('pdf-render')) {
    actions.push([
      0.5,
      () =>
        docket.enqueue('pdf-render', {
          invoiceId: `INV-${1000 + ++invoiceId}`,
          customer: pick(NAMES),
          lines: [
            { item: 'Pro plan', quantity: 1, cents: 4900 },
            { item: 'Extra seats', quantity: 1 + (invoiceId % 5), cents: 900 },
          ],
        }),
    ]);
  }
  const weight = actions.reduce((sum, [w]) => sum + w, 0);
  const timer = setInterval(() => {
    let r = Math.random() * weight;
    const action =
      actions.find(([w]) => {
        r -= w;
        return r < 0;
      }) ?? actions[0]!;
    action[1]().catch((error: Error) => process.stderr.write(`demo: enqueue failed: ${error.message}\n`));
  }, 1000 / rate);
  return () => clearInterval(timer);
}
