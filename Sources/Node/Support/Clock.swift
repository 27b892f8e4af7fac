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
}
