import Foundation

/// Small helpers shared by the dependency-free SVG charts.
enum SVG {
  /// Colour-blind-safe palette (Okabe-Ito), assigned in series order.
  static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

  static func color(_ i: Int) -> String { palette[i % palette.count] }

  /// Escapes text for XML content and attributes.
  static func escape(_ s: String) -> String {
    var out = ""
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(ch)
      }
    }
    return out
  }

  static func num(_ v: Double) -> String { String(format: "%.2f", v) }

  /// A tick label: integers without decimals, others with up to 3 significant digits.
  static func label(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e9 { return String(Int(v)) }
    return String(format: "%.3g", v)
  }

  /// "Nice" ticks (1, 2, 5 x 10^k steps) covering lo...hi with about `count` intervals.
  /// `minStep` bounds the step from below (1 for integer axes such as epochs or depths).
  static func ticks(_ lo: Double, _ hi: Double, count: Int = 5, minStep: Double = 0) -> [Double] {
    guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
    let raw = max((hi - lo) / Double(max(count, 1)), minStep)
    let mag = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
    var t = (lo / step).rounded(.down) * step
    var out: [Double] = []
    while t <= hi + step * 1e-9 {
      out.append(abs(t) < step * 1e-9 ? 0 : t)
      t += step
    }
    if let last = out.last, last < hi { out.append(last + step) }
    return out
  }

  static func text(_ s: String, x: Double, y: Double, size: Int = 12, anchor: String = "middle", extra: String = "") -> String {
    "<text x=\"\(num(x))\" y=\"\(num(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" font-family=\"sans-serif\"\(extra)>\(escape(s))</text>"
  }

  static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) -> String {
    let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    return "<line x1=\"\(num(x1))\" y1=\"\(num(y1))\" x2=\"\(num(x2))\" y2=\"\(num(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(num(width))\"\(d)/>"
  }

  static func document(width: Int, height: Int, body: [String]) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)">
    <rect x="0" y="0" width="\(width)" height="\(height)" fill="white"/>
    \(body.joined(separator: "\n"))
    </svg>

    """
  }
}
