import ArgumentParser
import Node

/// A duration option in seconds (`--timeout 2.5`): a finite number in 0...`limit`. "inf", "nan",
/// "-1" or "1e300" are argument errors, so no command turns one into a trap when it converts the
/// value to milliseconds for a socket or to a sleep.
struct Seconds: ExpressibleByArgument, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, Comparable, CustomStringConvertible {
  /// About 11.6 days (`Clock.longestWait`): longer than any wait a user means.
  static let limit = Clock.longestWait

  let value: Double

  init?(argument: String) {
    guard let value = Double(argument), value.isFinite, (0...Self.limit).contains(value) else { return nil }
    self.value = value
  }

  init(floatLiteral value: Double) { self.value = value }
  init(integerLiteral value: Int) { self.value = Double(value) }

  var description: String { "\(value)" }
  static func < (a: Seconds, b: Seconds) -> Bool { a.value < b.value }
}
