import Foundation

/// Minimal SVG plots of a continual summary: accuracy per epoch (old solid, new dashed) per
/// method, and learning time / replay memory / energy relative to spikinglr.
public enum ContinualPlots {
  static let colors = ["#d62728", "#7f7f7f", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"]

  /// File name and SVG text of every plot.
  public static func all(_ s: ContinualSummary) -> [(String, String)] {
    [("accuracy.svg", accuracy(s)), ("cost.svg", cost(s))]
  }

  /// Old (solid) and new (dashed) test accuracy over epochs.
  public static func accuracy(_ s: ContinualSummary) -> String {
    let w = 640.0, h = 360.0, left = 50.0, right = 150.0, top = 20.0, bottom = 40.0
    let maxEpoch = Double(max(s.methods.map { $0.curveOld.count }.max() ?? 1, 1))
    func x(_ e: Int) -> Double { left + (w - left - right) * (maxEpoch <= 1 ? 0.5 : Double(e) / (maxEpoch - 1)) }
    func y(_ a: Double) -> Double { top + (h - top - bottom) * (1 - a) }
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    for k in 0...5 {
      let a = Double(k) / 5
      out += "<line x1=\"\(left)\" x2=\"\(w - right)\" y1=\"\(y(a))\" y2=\"\(y(a))\" stroke=\"#ddd\"/><text x=\"\(left - 30)\" y=\"\(y(a) + 4)\">\(Int(a * 100))%</text>\n"
    }
    out += "<text x=\"\((w - right) / 2)\" y=\"\(h - 8)\">epoch (learning phase)</text>\n"
    for (i, m) in s.methods.enumerated() {
      let c = colors[i % colors.count]
      for (curve, dash) in [(m.curveOld, ""), (m.curveNew, " stroke-dasharray=\"5,3\"")] {
        let pts = curve.enumerated().compactMap { e, a in a.map { String(format: "%.1f,%.1f", x(e), y($0)) } }
        if !pts.isEmpty { out += "<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\"\(dash) points=\"\(pts.joined(separator: " "))\"/>\n" }
      }
      out += "<text x=\"\(w - right + 10)\" y=\"\(top + 16 * Double(i + 1))\" fill=\"\(c)\">\(m.method) (old —, new --)</text>\n"
    }
    return out + "</svg>\n"
  }

  /// Learning time, replay bytes and energy of each replay method relative to spikinglr.
  public static func cost(_ s: ContinualSummary) -> String {
    guard let ref = s.methods.first(where: { $0.method == "spikinglr" }) else {
      return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"40\"><text x=\"5\" y=\"20\">no spikinglr run to compare with</text></svg>\n"
    }
    let methods = s.methods.filter { $0.replayBytes > 0 }
    let metrics: [(String, (MethodSummary) -> Double)] = [
      ("learning time", { $0.learnSeconds / max(ref.learnSeconds, 1e-12) }),
      ("replay memory", { $0.replayBytes / max(ref.replayBytes, 1e-12) }),
      ("energy", { $0.learnEnergyJoules / max(ref.learnEnergyJoules, 1e-30) }),
    ]
    let w = 560.0, h = 300.0, top = 20.0, bottom = 40.0, left = 40.0
    let group = (w - left - 140) / Double(metrics.count), bar = group / Double(methods.count + 1)
    let peak = max(1.2, metrics.flatMap { m in methods.map { m.1($0) } }.max() ?? 1)
    func y(_ v: Double) -> Double { top + (h - top - bottom) * (1 - v / peak) }
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    out += "<line x1=\"\(left)\" x2=\"\(w - 140)\" y1=\"\(y(1))\" y2=\"\(y(1))\" stroke=\"#999\" stroke-dasharray=\"4,3\"/><text x=\"5\" y=\"\(y(1) + 4)\">1.0</text>\n"
    for (g, metric) in metrics.enumerated() {
      for (i, m) in methods.enumerated() {
        let v = metric.1(m), x0 = left + Double(g) * group + Double(i) * bar
        let color = colors[(s.methods.firstIndex { $0.method == m.method } ?? i) % colors.count]
        out += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\"/>", x0, y(v), bar * 0.9, y(0) - y(v), color)
        out += String(format: "<text x=\"%.1f\" y=\"%.1f\">%.2f</text>\n", x0, y(v) - 3, v)
      }
      out += "<text x=\"\(left + Double(g) * group)\" y=\"\(h - 10)\">\(metric.0)</text>\n"
    }
    for (i, m) in methods.enumerated() {
      let color = colors[(s.methods.firstIndex { $0.method == m.method } ?? i) % colors.count]
      out += "<text x=\"\(w - 130)\" y=\"\(top + 16 * Double(i + 1))\" fill=\"\(color)\">\(m.method)</text>\n"
    }
    return out + "</svg>\n"
  }
}

extension ContinualPlots {
  /// A sweep plot: old/new accuracy (left axis, %) and learning time (right axis, s) against
  /// the swept value (timesteps or depth), one point per method summary.
  public static func sweep(_ s: ContinualSummary, xLabel: String, xs: [Double]) -> String {
    let w = 600.0, h = 340.0, left = 50.0, right = 60.0, top = 20.0, bottom = 45.0
    let lo = xs.min() ?? 0, hi = max(xs.max() ?? 1, lo + 1e-9)
    let tMax = max(s.methods.map(\.learnSeconds).max() ?? 1, 1e-9)
    func x(_ v: Double) -> Double { left + (w - left - right) * (xs.count < 2 ? 0.5 : (v - lo) / (hi - lo)) }
    func y(_ a: Double) -> Double { top + (h - top - bottom) * (1 - a) }
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    for k in 0...5 {
      let a = Double(k) / 5
      out += "<line x1=\"\(left)\" x2=\"\(w - right)\" y1=\"\(y(a))\" y2=\"\(y(a))\" stroke=\"#ddd\"/><text x=\"\(left - 32)\" y=\"\(y(a) + 4)\">\(Int(a * 100))%</text>"
      out += String(format: "<text x=\"%.1f\" y=\"%.1f\">%.3g s</text>\n", w - right + 4, y(a) + 4, a * tMax)
    }
    for v in xs { out += String(format: "<text x=\"%.1f\" y=\"%.1f\">%g</text>\n", x(v) - 6, h - 28, v) }
    out += "<text x=\"\((w - right) / 2)\" y=\"\(h - 8)\">\(xLabel)</text>\n"
    let series: [(String, String, [Double?])] = [
      ("old accuracy", "#1f77b4", s.methods.map(\.old)), ("new accuracy", "#2ca02c", s.methods.map(\.new)),
      ("learning time", "#d62728", s.methods.map { $0.learnSeconds / tMax }),
    ]
    for (i, (name, color, values)) in series.enumerated() {
      let pts = zip(xs, values).compactMap { v, a in a.map { String(format: "%.1f,%.1f", x(v), y($0)) } }
      out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(pts.joined(separator: " "))\"/>\n"
      out += "<text x=\"\(left + 10)\" y=\"\(top + 14 * Double(i + 1))\" fill=\"\(color)\">\(name)</text>\n"
    }
    return out + "</svg>\n"
  }
}
