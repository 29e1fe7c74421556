// probe: can this system open on fresh storage at all? (Used once per system before the rounds.)
import type { RoleContext } from '../lib/child.ts';

export const roles = {
  async open({ adapter, ns }: RoleContext): Promise<null> {
    const producer = await adapter.openProducer(ns);
    await producer.add({ n: -1, t: 0 });
    await producer.close();
    return null;
  },
};
