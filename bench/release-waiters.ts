// Each promotion of a benchmark batch awaited until released: one waiter per service (each service has one
// promotion at a time, its waiter set before it is published), settled from the bot's notices, with a deadline.

export type ReleaseWaiters = {
  /** When (performance.now()) the service's promotion was released; rejects if it stopped or ran out of time. */
  expect(service: string): Promise<number>;
  released(service: string, at: number): void;
  failed(service: string, error: Error): void;
};

type Waiter = { resolve(at: number): void; reject(error: Error): void };

export function createReleaseWaiters(deadlineMs: number): ReleaseWaiters {
  const waiters = new Map<string, Waiter>();
  return {
    expect(service) {
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${service} not released in time`)), deadlineMs);
        const settle = () => {
          clearTimeout(timer);
          waiters.delete(service);
        };
        waiters.set(service, {
          resolve: (at) => {
            settle();
            resolve(at);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        });
      });
    },
    released: (service, at) => waiters.get(service)?.resolve(at),
    failed: (service, error) => waiters.get(service)?.reject(error),
  };
}
