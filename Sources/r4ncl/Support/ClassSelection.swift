import Foundation
import Storage

/// A set of class ids from the command line: "all", "0-18", "3", or a comma list of both
/// ("0-9,15,17-19").
struct ClassSelection: Equatable {
  /// The ids, nil meaning every class.
  let classes: Set<Int>?

  /// Why a class list is malformed (one line for the CLI).
  struct ParseError: Error, CustomStringConvertible {
    let description: String
  }

  init(parsing text: String) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.lowercased() == "all" {
      classes = nil
      return
    }
    var ids = Set<Int>()
    for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
      let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
        .map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard (1...2).contains(bounds.count), let low = bounds.first!, let high = bounds.last!, low >= 0 else {
        throw ParseError(description: "--classes '\(text)': '\(part)' is not a class id or a range like 0-18")
      }
      guard low <= high else {
        throw ParseError(description: "--classes '\(text)': range \(part) ends below its start")
      }
      guard SHDFile.labelRange.contains(high) else {  // SHD labels are 16-bit; also keeps the set small
        throw ParseError(description: "--classes '\(text)': class ids are 0...65535, got \(high)")
      }
      ids.formUnion(low...high)
    }
    classes = ids
  }

  /// Checks every id against the dataset's class count.
  func validate(classCount: Int, file: String) throws {
    guard let classes, let bad = classes.max(), bad >= classCount else { return }
    throw ParseError(description: "--classes: class \(bad) does not exist in \(file) (it has \(classCount) classes, 0-\(classCount - 1))")
  }

  /// A compact description ("all", "0-18", "0-9,15").
  var summary: String {
    guard let classes else { return "all" }
    return Self.summary(Array(classes))
  }

  /// A compact description of `ids` ("0-18", "0-9,15").
  static func summary(_ ids: [Int]) -> String {
    var parts: [String] = []
    var sorted = Set(ids).sorted()[...]
    while let start = sorted.popFirst() {
      var end = start
      while sorted.first == end + 1 { end = sorted.popFirst()! }
      parts.append(start == end ? "\(start)" : "\(start)-\(end)")
    }
    return parts.joined(separator: ",")
  }
}
