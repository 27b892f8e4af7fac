/// A dependency-free SVG line chart: axes with nice ticks, grid, one polyline with markers per
/// series (solid or dashed), and a legend. Used for accuracy over epochs and for sweeps.
public struct LineChart: Sendable {
  /// One line.
  public struct Series: Sendable {
    public var name: String
    /// (x, y) points; nil y values break the line.
    public var points: [(x: Double, y: Double?)]
    /// Palette index (so the same method keeps its colour across charts).
    public var colorIndex: Int
    public var dashed: Bool

    public init(name: String, points: [(x: Double, y: Double?)], colorIndex: Int, dashed: Bool = false) {
      self.name = name
      self.points = points
      self.colorIndex = colorIndex
      self.dashed = dashed
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  /// Fixed y range (e.g. 0...100 for accuracy); nil fits the data.
  public var yRange: ClosedRange<Double>?
  public var width = 560
  public var height = 400

  public init(title: String, xLabel: String, yLabel: String, series: [Series], yRange: ClosedRange<Double>? = nil) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.yRange = yRange
  }

  /// A complete SVG document.
  public func svg() -> String { SVG.document(width: width, height: height, body: body(x: 0, y: 0)) }

  /// The chart's elements placed at (x, y), for composing several charts in one document.
  func body(x ox: Double, y oy: Double) -> [String] {
    let left = ox + 62, right = ox + Double(width) - 16
    let top = oy + 36
    let legendRows = (series.count + 1) / 2
    let bottom = oy + Double(height) - 52 - Double(legendRows) * 16
    let xs = series.flatMap { $0.points.map(\.x) }
    let ys = series.flatMap { $0.points.compactMap(\.y) }
    var x0 = xs.min() ?? 0, x1 = xs.max() ?? 1
    if x0 == x1 { x0 -= 1; x1 += 1 }
    var y0 = yRange?.lowerBound ?? (ys.min() ?? 0), y1 = yRange?.upperBound ?? (ys.max() ?? 1)
    if yRange == nil { y0 = min(y0, 0) }
    if y0 == y1 { y1 = y0 + 1 }
    // Integer data (epochs, T, depth) gets integer ticks.
    let integral = !xs.isEmpty && xs.allSatisfy { $0 == $0.rounded() }
    let xt = SVG.ticks(x0, x1, count: 6, minStep: integral ? 1 : 0), yt = SVG.ticks(y0, y1, count: 5)
    x0 = min(x0, xt.first!); x1 = max(x1, xt.last!)
    y0 = min(y0, yt.first!); y1 = max(y1, yt.last!)
    func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * (right - left) }
    func py(_ v: Double) -> Double { bottom - (v - y0) / (y1 - y0) * (bottom - top) }

    var out: [String] = []
    out.append(SVG.text(title, x: (left + right) / 2, y: oy + 20, size: 15, extra: " font-weight=\"bold\""))
    for t in yt {
      out.append(SVG.line(left, py(t), right, py(t), stroke: "#e0e0e0"))
      out.append(SVG.text(SVG.label(t), x: left - 6, y: py(t) + 4, size: 11, anchor: "end"))
    }
    for t in xt {
      out.append(SVG.line(px(t), bottom, px(t), bottom + 4, stroke: "#333"))
      out.append(SVG.text(SVG.label(t), x: px(t), y: bottom + 17, size: 11))
    }
    out.append(SVG.line(left, bottom, right, bottom, stroke: "#333"))
    out.append(SVG.line(left, top, left, bottom, stroke: "#333"))
    out.append(SVG.text(xLabel, x: (left + right) / 2, y: bottom + 34, size: 12))
    let cy = (top + bottom) / 2
    out.append(SVG.text(yLabel, x: ox + 16, y: cy, size: 12, extra: " transform=\"rotate(-90 \(SVG.num(ox + 16)) \(SVG.num(cy)))\""))

    for s in series {
      let color = SVG.color(s.colorIndex)
      let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
      // Split at missing values so a gap shows as a gap.
      var runs: [[(Double, Double)]] = [[]]
      for p in s.points.sorted(by: { $0.x < $1.x }) {
        if let y = p.y { runs[runs.count - 1].append((px(p.x), py(y))) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
      }
      for run in runs where run.count > 1 {
        let pts = run.map { "\(SVG.num($0.0)),\(SVG.num($0.1))" }.joined(separator: " ")
        out.append("<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>")
      }
      // Markers only while they stay readable (long curves such as 100 epochs get none).
      for run in runs where s.points.count <= 40 || run.count == 1 {
        for (x, y) in run {
          let fill = s.dashed ? "white" : color
          out.append("<circle cx=\"\(SVG.num(x))\" cy=\"\(SVG.num(y))\" r=\"3\" fill=\"\(fill)\" stroke=\"\(color)\" stroke-width=\"1.5\"/>")
        }
      }
    }
    // Legend: two columns under the axis label.
    for (i, s) in series.enumerated() {
      let lx = left + Double(i % 2) * (right - left) / 2
      let ly = bottom + 50 + Double(i / 2) * 16
      out.append(SVG.line(lx, ly - 4, lx + 24, ly - 4, stroke: SVG.color(s.colorIndex), width: 2, dash: s.dashed ? "6 4" : nil))
      out.append(SVG.text(s.name, x: lx + 30, y: ly, size: 11, anchor: "start"))
    }
    return out
  }
}

extension LineChart {
  /// Several charts side by side in one SVG document.
  public static func svgRow(_ charts: [LineChart]) -> String {
    var body: [String] = []
    var x = 0.0
    for c in charts {
      body += c.body(x: x, y: 0)
      x += Double(c.width)
    }
    return SVG.document(width: Int(x), height: charts.map(\.height).max() ?? 0, body: body)
  }
}
