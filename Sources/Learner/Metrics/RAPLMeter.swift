import Foundation

/// Measured CPU energy from Linux RAPL counters, reported apart from the operation-count
/// estimate. Reads the package domain `intel-rapl:0/energy_uj` under `/sys/class/powercap`
/// (the same interface on AMD Zen since Linux 5.8), or the `amd_energy` hwmon driver's
/// socket counter. Containers and unprivileged users often cannot read them: then
/// `RAPLMeter.discover()` is nil and the report says why.
public struct RAPLMeter: Sendable {
  /// The counter file, microjoules.
  public let path: String
  /// Value at which the counter wraps to 0 (`max_energy_range_uj`), if known.
  public let wrapMicrojoules: UInt64?
  /// Human-readable source for reports.
  public let source: String

  public init(path: String, wrapMicrojoules: UInt64?, source: String) {
    self.path = path
    self.wrapMicrojoules = wrapMicrojoules
    self.source = source
  }

  /// The first readable counter under `powercapRoot` or `hwmonRoot`, else nil.
  public static func discover(
    powercapRoot: String = "/sys/class/powercap", hwmonRoot: String = "/sys/class/hwmon"
  ) -> RAPLMeter? {
    let pkg = powercapRoot + "/intel-rapl:0"
    if readCounter(pkg + "/energy_uj") != nil {
      let name = (try? String(contentsOfFile: pkg + "/name", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "package-0"
      return RAPLMeter(
        path: pkg + "/energy_uj", wrapMicrojoules: readCounter(pkg + "/max_energy_range_uj"),
        source: "RAPL powercap \(name)")
    }
    let fm = FileManager.default
    for dir in ((try? fm.contentsOfDirectory(atPath: hwmonRoot)) ?? []).sorted() {
      let base = hwmonRoot + "/" + dir
      let name = (try? String(contentsOfFile: base + "/name", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
      guard name == "amd_energy" else { continue }
      // amd_energy lists per-core counters first and the socket counter(s) last; labels say "Esocket0".
      for i in 1...512 {
        let label = (try? String(contentsOfFile: base + "/energy\(i)_label", encoding: .utf8))?
          .trimmingCharacters(in: .whitespacesAndNewlines)
        if label == nil { break }
        if label == "Esocket0", readCounter(base + "/energy\(i)_input") != nil {
          return RAPLMeter(path: base + "/energy\(i)_input", wrapMicrojoules: nil, source: "hwmon amd_energy Esocket0")
        }
      }
    }
    return nil
  }

  /// Current counter value in microjoules, nil when unreadable.
  public func read() -> UInt64? { RAPLMeter.readCounter(path) }

  /// Joules between two readings, allowing for one wrap of the counter.
  public func joules(from start: UInt64, to end: UInt64) -> Double {
    let delta: UInt64
    if end >= start {
      delta = end - start
    } else if let wrap = wrapMicrojoules {
      delta = wrap - start + end
    } else {
      delta = 0
    }
    return Double(delta) * 1e-6
  }

  /// Runs `body` and measures the package energy it took (with everything else running on
  /// the machine: a whole-CPU figure, not this process alone).
  public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, energy: EnergyMeasurement) {
    guard let meter = discover(), let start = meter.read() else {
      return (try body(), EnergyMeasurement(joules: nil, note: "RAPL unavailable: no readable powercap or amd_energy counter"))
    }
    let r = try body()
    guard let end = meter.read() else {
      return (r, EnergyMeasurement(joules: nil, note: "RAPL counter \(meter.path) became unreadable"))
    }
    return (r, EnergyMeasurement(joules: meter.joules(from: start, to: end), note: meter.source))
  }

  static func readCounter(_ path: String) -> UInt64? {
    guard let s = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return UInt64(s.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

/// A measured energy: joules, or nil with the reason in `note`.
public struct EnergyMeasurement: Sendable, Equatable, Codable {
  public var joules: Double?
  /// The counter's source, or why there is no measurement.
  public var note: String

  public init(joules: Double?, note: String) {
    self.joules = joules
    self.note = note
  }
}
