/**
 * What the RPC layer needs from a connection, whatever it is: a utilityProcess parentPort, a Node fork's IPC
 * channel, a MessagePort to the window or a WebSocket. Messages are structured-clonable objects; text
 * transports (WebSocket) encode them with the bigint-safe JSON in ./wire.
 */
export interface RpcTransport {
  post(message: unknown): void;
  /** Subscribe to incoming messages; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once when the far side goes away (process exit, port closed, socket closed). */
  onClose(listener: () => void): () => void;
  close(): void;
}

/** A small listener set: the one pattern every transport and client here needs. */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>();
  add(listener: (...args: A) => void): () => void {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }
  emit(...args: A): void {
    for (const l of [...this.set]) l(...args);
  }
  get size(): number {
    return this.set.size;
  }
  clear(): void {
    this.set.clear();
  }
}

/** Two transports wired to each other in memory (tests, and in-process engines). */
export function transportPair(): [RpcTransport, RpcTransport] {
  const make = () => ({ messages: new Listeners<[unknown]>(), closes: new Listeners<[]>(), closed: false });
  const a = make();
  const b = make();
  const side = (self: typeof a, other: typeof a): RpcTransport => ({
    post(message) {
      if (self.closed || other.closed) return;
      const copy = structuredClone(message);
      queueMicrotask(() => other.messages.emit(copy));
    },
    onMessage: (l) => self.messages.add(l),
    onClose: (l) => self.closes.add(l),
    close() {
      if (self.closed) return;
      self.closed = true;
      other.closed = true;
      self.closes.emit();
      other.closes.emit();
    },
  });
  return [side(a, b), side(b, a)];
}
