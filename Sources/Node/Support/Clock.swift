import Foundation

/// Wall-clock and monotonic time stamps for messages and latency.
public enum Clock {
  /// Unix epoch nanoseconds (wall clock: comparable across processes on one machine).
  public static func nowNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
  }

  /// Monotonic seconds (for timers and durations; never jumps).
  public static func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
  }

  /// The longest wait `milliseconds(_:)` and `sleep(seconds:)` grant: about 11.6 days, exact in
  /// Int32 milliseconds.
  public static let longestWait: Double = 1_000_000

  /// `seconds` as a poll, receive or send timeout in milliseconds: rounded up and clamped to
  /// 0...`longestWait` (NaN gives 0), so converting a user's or a peer's number cannot trap.
  public static func milliseconds(_ seconds: Double) -> Int32 {
    guard seconds > 0 else { return 0 }  // also NaN
    return Int32((min(seconds, longestWait) * 1000).rounded(.up))
  }

  /// Sleeps `seconds`, clamped like `milliseconds(_:)`; a signal may end the sleep early.
  public static func sleep(seconds: Double) {
    guard seconds > 0 else { return }
    let clamped = min(seconds, longestWait)
    var request = timespec(tv_sec: Int(clamped), tv_nsec: Int((clamped - clamped.rounded(.down)) * 1e9))
    _ = nanosleep(&request, nil)
  }
}

