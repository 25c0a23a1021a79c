import { type ExecutionResult } from 'graphql';

const KEY = '__gatewayPayload';
const MARK = `{"${KEY}":`;
/** Far more distinct results than can be between graphql-ws's onNext and its send. */
const KEPT = 1024;

/**
 * One event's result goes to every subscriber of a fan-out group as the same object; graphql-ws
 * would serialise it once per subscriber. Instead onNext hands graphql-ws a small reference,
 * and the socket layer swaps the reference for the result's JSON, serialised once: the message a
 * client receives is byte for byte what graphql-ws would have sent.
 */
export class SharedPayloads {
  private readonly refs = new WeakMap<object, number>();
  private readonly json = new Map<number, string>();
  private next = 1;

  /** What onNext returns for `result`: a reference to its JSON. */
  reference(result: ExecutionResult): Record<string, number> {
    let ref = this.refs.get(result);
    if (ref === undefined) {
      ref = this.next++;
      this.refs.set(result, ref);
      // As graphql-ws builds it: the result's fields, errors as their JSON (GraphQLError.toJSON).
      this.json.set(ref, JSON.stringify(result));
      if (this.json.size > KEPT) this.json.delete(this.json.keys().next().value as number);
    }
    return { [KEY]: ref };
  }

  /** A protocol message with its payload reference replaced by the payload's JSON. */
  expand(message: string): string {
    const at = message.indexOf(MARK);
    if (at < 0) return message;
    const end = message.indexOf('}', at);
    const json = this.json.get(Number(message.slice(at + MARK.length, end)));
    if (json === undefined) throw new Error('subscription payload no longer kept');
    return message.slice(0, at) + json + message.slice(end + 1);
  }
}
