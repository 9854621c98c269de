/**
 * A scripted Source for API tests: records every request, answers with what the test says,
 * and lets the test push platform updates. Protocol-free on purpose: the API's rules are what
 * these tests look at; the simulator and Finesse sources have contract suites of their own.
 */
import {
  ALL_REQUEST_TYPES,
  ErrorCode,
  SwitchboardError,
  type PlatformRequest,
  type PlatformRequestType,
  type PlatformUpdate,
  type Source,
  type UpdateSink,
} from '../../../src/core/index.js';

export class FakeSource implements Source {
  readonly kind = 'fake';
  supports: ReadonlySet<PlatformRequestType>;
  readonly requests: PlatformRequest[] = [];
  /** Request types that fail with PLATFORM_ERROR. */
  failing = new Set<PlatformRequestType>();
  /** Request types that never answer (for timeouts). */
  hanging = new Set<PlatformRequestType>();
  private emitFn: UpdateSink | undefined;

  constructor(supports: readonly PlatformRequestType[] = ALL_REQUEST_TYPES) {
    this.supports = new Set(supports);
  }

  connect(emit: UpdateSink): Promise<void> {
    this.emitFn = emit;
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.emitFn = undefined;
    return Promise.resolve();
  }

  request(request: PlatformRequest): Promise<void> {
    this.requests.push(request);
    if (this.hanging.has(request.type)) return new Promise(() => undefined);
    if (this.failing.has(request.type)) {
      return Promise.reject(new SwitchboardError(ErrorCode.PLATFORM_ERROR, `platform refused ${request.type}`));
    }
    return Promise.resolve();
  }

  push(update: PlatformUpdate): void {
    if (this.emitFn === undefined) throw new Error('not connected');
    this.emitFn(update);
  }
}
