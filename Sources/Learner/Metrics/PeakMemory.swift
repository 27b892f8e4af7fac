import Foundation

/// Peak resident set size of this process, from Linux's `/proc/self/status` (`VmHWM`, the
/// RSS high-water mark). nil where the file or field is missing (e.g. macOS).
public enum PeakMemory {
  /// Peak RSS in bytes, or nil when unavailable.
  public static func peakResidentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    return vmHWMBytes(statusText: text)
  }

  /// Current RSS in bytes (`VmRSS`), or nil when unavailable.
  public static func residentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    return field("VmRSS", in: text)
  }

  /// Parses `VmHWM:   123456 kB` out of a status text.
  public static func vmHWMBytes(statusText: String) -> Int? { field("VmHWM", in: statusText) }

  static func field(_ name: String, in text: String) -> Int? {
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
      let parts = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard let v = parts.first.flatMap({ Int($0) }) else { return nil }
      let unit = parts.count > 1 ? parts[1].lowercased() : "b"
      switch unit {
      case "kb": return v * 1024
      case "mb": return v * 1024 * 1024
      case "b": return v
      default: return nil
      }
    }
    return nil
  }
}
