import Dispatch
import Foundation

/// Turns SIGINT/SIGTERM into a callback on a dispatch queue (not in signal context), so the
/// handler may lock, log and wake threads. Keep the trap alive as long as it should catch.
public final class SignalTrap: @unchecked Sendable {
  private var sources: [DispatchSourceSignal] = []

  /// Catches `signals` and calls `handler` with the signal number each time one arrives.
  public init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) {
    for number in signals {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { handler(number) }
      source.resume()
      sources.append(source)
    }
  }

  deinit { for source in sources { source.cancel() } }
}
