import Foundation

/// Number formats shared by the text and markdown renderings ("-" for missing values).
enum Fmt {
  static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 100) } ?? "-" }
  static func seconds(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "-" }
  static func millis(_ v: Double?) -> String { v.map { String(format: "%.3f", $0 * 1e3) } ?? "-" }
  static func millijoules(_ v: Double?) -> String { v.map { String(format: "%.3f", $0 * 1e3) } ?? "-" }
  static func joules(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "-" }
  static func int(_ v: Int?) -> String { v.map(String.init) ?? "-" }
  static func fixed(_ v: Double?, _ digits: Int = 1) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "-" }
  static func mebibytes(_ v: Int?) -> String { v.map { String(format: "%.1f", Double($0) / 1_048_576) } ?? "-" }
  static func ratio(_ v: Double?) -> String { v.map { String(format: "%.2fx", $0) } ?? "-" }
}

extension ContinualReport {
  /// The summary table: one row per method.
  public var summaryTable: TextTable {
    var t = TextTable(header: [
      "method", "old %", "new %", "all %", "learn s", "s/epoch", "latency ms", "replay B", "B/sample",
      "energy mJ (est.)", "RAPL J", "peak RSS MiB",
    ])
    for m in methods {
      let epochSeconds = m.epochs.compactMap(\.seconds)
      let perEpoch = epochSeconds.isEmpty ? nil : epochSeconds.reduce(0, +) / Double(epochSeconds.count)
      t.rows.append([
        m.method, Fmt.percent(m.final?.old), Fmt.percent(m.final?.new), Fmt.percent(m.final?.all),
        Fmt.seconds(m.seconds(ofPhase: "learn")), Fmt.seconds(perEpoch), Fmt.millis(m.latencySecondsPerSample),
        Fmt.int(m.replayBytes), Fmt.fixed(m.replayBytesPerSample), Fmt.millijoules(m.energy?.estimatedJoules),
        Fmt.joules(m.energy?.measuredJoules), Fmt.mebibytes(m.peakRSSBytes),
      ])
    }
    return t
  }

  /// Costs relative to the baseline method (1.00x = equal).
  public var ratioTable: TextTable {
    var t = TextTable(header: ["method"] + CostMetric.allCases.map(\.rawValue))
    for m in methods {
      t.rows.append([m.method] + CostMetric.allCases.map { Fmt.ratio(ratio($0, of: m)) })
    }
    return t
  }

  /// The terminal rendering: title, summary table, ratios against the baseline, sweeps.
  public func textSummary() -> String {
    var out = "\(title) - \(scenario)\n\n" + summaryTable.render()
    if let base = baselineReport {
      out += "\nrelative to \(base.method):\n" + ratioTable.render()
    }
    for s in sweeps { out += "\nsweep over \(s.xLabel):\n" + s.table.render() }
    return out
  }
}

extension SweepReport {
  /// One row per x, one column per series.
  public var table: TextTable {
    var t = TextTable(header: [xLabel] + series.map { "\($0.name) (\($0.unit))" })
    for (i, x) in self.x.enumerated() {
      t.rows.append([SVG.label(x)] + series.map { i < $0.values.count ? Fmt.fixed($0.values[i], 3) : "-" })
    }
    return t
  }
}
