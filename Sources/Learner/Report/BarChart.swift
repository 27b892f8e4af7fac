/// A dependency-free SVG grouped bar chart: one group per category (e.g. latency, memory,
/// energy), one bar per series (method), values labelled above the bars, an optional
/// reference line (1.0 = baseline).
public struct GroupedBarChart: Sendable {
  public struct Series: Sendable {
    public var name: String
    /// One value per category; nil leaves a gap.
    public var values: [Double?]
    public var colorIndex: Int

    public init(name: String, values: [Double?], colorIndex: Int) {
      self.name = name
      self.values = values
      self.colorIndex = colorIndex
    }
  }

  public var title: String
  public var yLabel: String
  public var categories: [String]
  public var series: [Series]
  /// Draws a dashed horizontal line at this value (1 for "relative to baseline").
  public var referenceLine: Double?
  public var width = 720
  public var height = 420

  public init(title: String, yLabel: String, categories: [String], series: [Series], referenceLine: Double? = nil) {
    self.title = title
    self.yLabel = yLabel
    self.categories = categories
    self.series = series
    self.referenceLine = referenceLine
  }

  public func svg() -> String {
    let left = 62.0, right = Double(width) - 16, top = 36.0
    let bottom = Double(height) - 60
    let values = series.flatMap { $0.values.compactMap { $0 } } + (referenceLine.map { [$0] } ?? [])
    let yt = SVG.ticks(0, max(values.max() ?? 1, 1e-12) * 1.12, count: 5)
    let y1 = yt.last!
    func py(_ v: Double) -> Double { bottom - v / y1 * (bottom - top) }

    var out: [String] = []
    out.append(SVG.text(title, x: (left + right) / 2, y: 20, size: 15, extra: " font-weight=\"bold\""))
    for t in yt {
      out.append(SVG.line(left, py(t), right, py(t), stroke: "#e0e0e0"))
      out.append(SVG.text(SVG.label(t), x: left - 6, y: py(t) + 4, size: 11, anchor: "end"))
    }
    out.append(SVG.line(left, bottom, right, bottom, stroke: "#333"))
    out.append(SVG.line(left, top, left, bottom, stroke: "#333"))
    let cy = (top + bottom) / 2
    out.append(SVG.text(yLabel, x: 16, y: cy, size: 12, extra: " transform=\"rotate(-90 16 \(SVG.num(cy)))\""))

    let groupWidth = (right - left) / Double(max(categories.count, 1))
    let barWidth = groupWidth * 0.8 / Double(max(series.count, 1))
    for (g, cat) in categories.enumerated() {
      let gx = left + Double(g) * groupWidth
      out.append(SVG.text(cat, x: gx + groupWidth / 2, y: bottom + 18, size: 12))
      for (i, s) in series.enumerated() {
        guard g < s.values.count, let v = s.values[g] else { continue }
        let x = gx + groupWidth * 0.1 + Double(i) * barWidth
        let y = py(v)
        out.append("<rect x=\"\(SVG.num(x))\" y=\"\(SVG.num(y))\" width=\"\(SVG.num(barWidth * 0.92))\" height=\"\(SVG.num(bottom - y))\" fill=\"\(SVG.color(s.colorIndex))\"/>")
        out.append(SVG.text(String(format: "%.2f", v), x: x + barWidth * 0.46, y: y - 4, size: 10))
      }
    }
    if let r = referenceLine {
      out.append(SVG.line(left, py(r), right, py(r), stroke: "#444", width: 1.2, dash: "5 4"))
    }
    for (i, s) in series.enumerated() {
      let lx = left + Double(i) * (right - left) / Double(max(series.count, 1))
      let ly = bottom + 42
      out.append("<rect x=\"\(SVG.num(lx))\" y=\"\(SVG.num(ly - 10))\" width=\"14\" height=\"10\" fill=\"\(SVG.color(s.colorIndex))\"/>")
      out.append(SVG.text(s.name, x: lx + 20, y: ly, size: 11, anchor: "start"))
    }
    return SVG.document(width: width, height: height, body: out)
  }
}
