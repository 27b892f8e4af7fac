/// Class ids written as text, the one form `--classes` and the node's `model.classes` take:
/// "all", an id ("3"), a range ("0-18"), or a comma list of both ("0-9,15,17-19").
/// Every id is an SHD label (`SHDFile.labelRange`), which also keeps an expanded range small.
public struct ClassIDList: Equatable, Sendable {
  /// The ids in ascending order without repeats; nil means every class ("all").
  public let ids: [Int]?

  /// Why a class list is malformed; the text names the offending piece, not the option.
  public struct ParseError: Error, CustomStringConvertible, Equatable {
    public let description: String
  }

  /// Parses a comma-separated list ("0-9,15").
  public init(parsing text: String) throws {
    try self.init(pieces: text.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
  }

  /// Parses pieces that are each an id or a range (a YAML list `[0, 3-5]`); a single piece
  /// may itself be a comma list or "all".
  public init(pieces: [String]) throws {
    let trimmed = pieces.map { $0.trimmingCharacters(in: .whitespaces) }
    if trimmed.count == 1, trimmed[0].lowercased() == "all" {
      ids = nil
      return
    }
    var set = Set<Int>()
    for piece in trimmed {
      if piece.contains(",") {
        guard let nested = try ClassIDList(parsing: piece).ids else {
          throw ParseError(description: "'\(piece)': 'all' cannot be part of a list")
        }
        set.formUnion(nested)
        continue
      }
      set.formUnion(try Self.range(piece))
    }
    ids = set.sorted()
  }

  /// One piece: "7" or "3-5". "-1", "0--1", "" and ids beyond 16 bits are errors.
  private static func range(_ piece: String) throws -> ClosedRange<Int> {
    let bounds = piece.split(separator: "-", omittingEmptySubsequences: false)
      .map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard (1...2).contains(bounds.count), let low = bounds.first!, let high = bounds.last! else {
      throw ParseError(description: "'\(piece)' is not a class id or a range like 0-18")
    }
    guard SHDFile.labelRange.contains(low), SHDFile.labelRange.contains(high) else {
      throw ParseError(description: "'\(piece)': class ids are 0...65535 (16-bit SHD labels)")
    }
    guard low <= high else {
      throw ParseError(description: "'\(piece)': the range ends below its start")
    }
    return low...high
  }

  /// A compact description of `ids` ("0-18", "0-9,15").
  public static func summary(_ ids: [Int]) -> String {
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
