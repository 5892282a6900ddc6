/**
 * Runs tasks one after another, in the order they were given. A task's failure is its caller's: it
 * rejects that caller's promise and never holds up or fails the tasks after it.
 */
export class OneAtATime {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => {});
    return result;
  }
}
