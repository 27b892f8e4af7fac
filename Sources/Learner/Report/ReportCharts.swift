extension ContinualReport {
  /// Accuracy over epochs per method, old classes and new classes side by side (epoch 0 =
  /// after pretraining, when measured). One colour per method across both panels.
  public func accuracyChartSVG() -> String {
    func panel(_ title: String, _ part: (AccuracySplit) -> Double?) -> LineChart {
      let series = methods.enumerated().map { i, m -> LineChart.Series in
        var pts: [(x: Double, y: Double?)] = []
        if let p = m.pretrained { pts.append((0, part(p).map { $0 * 100 })) }
        pts += m.epochs.map { (Double($0.epoch), part($0.accuracy).map { $0 * 100 }) }
        return LineChart.Series(name: m.method, points: pts, colorIndex: i)
      }
      return LineChart(title: title, xLabel: "epoch", yLabel: "accuracy (%)", series: series, yRange: 0...100)
    }
    return LineChart.svgRow([panel("Old classes", { $0.old }), panel("New classes", { $0.new })])
  }

  /// Learn time, latency, replay memory and energy of every method relative to the baseline
  /// (dashed line at 1). Metrics no method has are left out.
  public func costChartSVG() -> String {
    let metrics = CostMetric.allCases.filter { c in methods.contains { ratio(c, of: $0) != nil } }
    let series = methods.enumerated().map { i, m in
      GroupedBarChart.Series(name: m.method, values: metrics.map { ratio($0, of: m) }, colorIndex: i)
    }
    let base = baselineReport?.method ?? "baseline"
    return GroupedBarChart(
      title: "Cost relative to \(base) (lower is better)", yLabel: "ratio to \(base)",
      categories: metrics.map(\.rawValue), series: series, referenceLine: 1
    ).svg()
  }
}

extension SweepReport {
  /// One panel per unit (e.g. accuracy in %, time in s), series against x.
  public func chartSVG() -> String {
    var units: [String] = []
    for s in series where !units.contains(s.unit) { units.append(s.unit) }
    let charts = units.map { unit in
      let names = series.filter { $0.unit == unit }.map(\.name)
      let what = unit == "%" ? "accuracy" : names.joined(separator: ", ")
      return LineChart(
        title: "\(what) vs \(xLabel)", xLabel: xLabel, yLabel: unit == "%" ? "accuracy (%)" : unit,
        series: series.enumerated().filter { $0.element.unit == unit }.map { i, s in
          LineChart.Series(name: s.name, points: zip(x, s.values).map { ($0, $1) }, colorIndex: i)
        },
        yRange: unit == "%" ? 0...100 : nil)
    }
    return LineChart.svgRow(charts)
  }
}
