import Foundation

extension ContinualReport {
  /// report.md: the tables, per-epoch curves, phase times and links to the plots.
  public func markdown() -> String {
    var md = "# \(title)\n\nScenario: \(scenario)\n\n"
    for n in notes { md += "- \(n)\n" }
    if !notes.isEmpty { md += "\n" }
    md += "## Summary\n\nAccuracy after the last epoch; energy is the operation-count estimate "
    md += "(\(methods.first?.energy?.model ?? EnergyModel.horowitz45nm.name)), RAPL the measured CPU package energy where readable.\n\n"
    md += summaryTable.markdown()
    if let base = baselineReport {
      md += "\n## Relative to \(base.method)\n\n" + ratioTable.markdown()
    }
    md += "\n![accuracy over epochs](accuracy.svg)\n\n![cost relative to baseline](costs.svg)\n"
    for m in methods {
      md += "\n## \(m.method)\n\n"
      if !m.settings.isEmpty {
        md += m.settings.keys.sorted().map { "`\($0)` = \(m.settings[$0]!)" }.joined(separator: ", ") + "\n\n"
      }
      var t = TextTable(header: ["epoch", "old %", "new %", "all %", "seconds"])
      if let p = m.pretrained { t.rows.append(["pretrained", Fmt.percent(p.old), Fmt.percent(p.new), Fmt.percent(p.all), "-"]) }
      for e in m.epochs {
        t.rows.append([String(e.epoch), Fmt.percent(e.accuracy.old), Fmt.percent(e.accuracy.new), Fmt.percent(e.accuracy.all), Fmt.seconds(e.seconds)])
      }
      if !t.rows.isEmpty { md += t.markdown() + "\n" }
      if !m.phases.isEmpty {
        md += TextTable(header: ["phase", "seconds", "epochs"], rows: m.phases.map { [$0.phase, Fmt.seconds($0.seconds), String($0.epochs.count)] }).markdown() + "\n"
      }
      if let e = m.energy {
        md += "Operations: \(e.counts.accumulates) accumulates, \(e.counts.macs) MACs; measured: \(e.measurementNote).\n"
      }
      if let f = m.accuracyMatrix?.averageForgetting {
        md += "Average forgetting \(Fmt.percent(f)) points, BWT \(Fmt.percent(-f)).\n"
      }
    }
    for s in sweeps {
      md += "\n## Sweep over \(s.xLabel)\n\n" + s.table.markdown() + "\n![sweep \(s.name)](sweep-\(s.name).svg)\n"
    }
    return md
  }

  /// report.json: the whole report, keys sorted, pretty-printed.
  public func json() throws -> Data {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try enc.encode(self)
  }

  /// Writes report.json, report.md, accuracy.svg, costs.svg and sweep-<name>.svg into
  /// `directory` (created if needed); returns the files written.
  @discardableResult
  public func write(to directory: URL) throws -> [URL] {
    do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
      throw ReportError.writeFailed(path: directory.path, reason: "\(error)")
    }
    var files: [(String, Data)] = [
      ("report.json", try json()),
      ("report.md", Data(markdown().utf8)),
    ]
    if !methods.isEmpty {
      files.append(("accuracy.svg", Data(accuracyChartSVG().utf8)))
      files.append(("costs.svg", Data(costChartSVG().utf8)))
    }
    for s in sweeps { files.append(("sweep-\(s.name).svg", Data(s.chartSVG().utf8))) }
    return try files.map { name, data in
      let url = directory.appendingPathComponent(name)
      do { try data.write(to: url, options: .atomic) } catch {
        throw ReportError.writeFailed(path: url.path, reason: "\(error)")
      }
      return url
    }
  }
}

/// Why a report could not be written.
public enum ReportError: Error, Equatable, CustomStringConvertible {
  /// A report file could not be written.
  case writeFailed(path: String, reason: String)

  public var description: String {
    switch self {
    case .writeFailed(let p, let r): return "report: cannot write \(p): \(r)"
    }
  }
}
