/// A plain-text table with aligned columns (numbers right-aligned), for terminals and logs.
public struct TextTable: Sendable {
  public var header: [String]
  public var rows: [[String]]

  public init(header: [String], rows: [[String]] = []) {
    self.header = header
    self.rows = rows
  }

  /// The rendered table: header, a rule, rows.
  public func render() -> String {
    let cols = header.count
    var widths = header.map(\.count)
    for r in rows {
      for (i, c) in r.prefix(cols).enumerated() { widths[i] = max(widths[i], c.count) }
    }
    func line(_ cells: [String]) -> String {
      (0..<cols).map { i in
        let c = i < cells.count ? cells[i] : ""
        let pad = String(repeating: " ", count: widths[i] - c.count)
        return i == 0 ? c + pad : pad + c
      }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
  }

  /// The same table as GitHub-flavoured markdown.
  public func markdown() -> String {
    let cols = header.count
    let esc = { (s: String) in s.replacingOccurrences(of: "|", with: "\\|") }
    var out = "| " + header.map(esc).joined(separator: " | ") + " |\n"
    out += "|" + (0..<cols).map { $0 == 0 ? " --- |" : " ---: |" }.joined() + "\n"
    for r in rows {
      out += "| " + (0..<cols).map { $0 < r.count ? esc(r[$0]) : "" }.joined(separator: " | ") + " |\n"
    }
    return out
  }
}
