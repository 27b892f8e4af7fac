/// Monotonic wall-clock timer for phases, epochs and latency measurements.
public struct Stopwatch: Sendable {
  private var start: ContinuousClock.Instant

  /// Starts timing now.
  public init() { start = ContinuousClock.now }

  /// Seconds since start (or the last restart).
  public var elapsedSeconds: Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  /// Returns the elapsed seconds and starts again from now.
  @discardableResult
  public mutating func restart() -> Double {
    let e = elapsedSeconds
    start = ContinuousClock.now
    return e
  }

  /// Runs `body` and returns its result with the seconds it took.
  public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
    let w = Stopwatch()
    let r = try body()
    return (r, w.elapsedSeconds)
  }
}
