/// Text that came from the wire (names, topics, reasons), made fit for one log or status line:
/// at most `limit` bytes (then "..."), control characters (terminal escapes, newlines) as "?".
public enum WireText {
  public static func line<Bytes: Collection>(_ bytes: Bytes, limit: Int = 80) -> String where Bytes.Element == UInt8 {
    let text = String(String.UnicodeScalarView(
      String(decoding: bytes.prefix(limit), as: UTF8.self).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    return text + (bytes.count > limit ? "..." : "")
  }

  public static func line(_ string: String, limit: Int = 80) -> String { line(Array(string.utf8.prefix(limit + 1)), limit: limit) }
}
