import Foundation
import XCTest
@testable import Learner

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class ReportTests: XCTestCase {
  /// A report shaped like a 19+1 run with the four methods (numbers invented for the test).
  static func sampleReport() throws -> ContinualReport {
    func split(_ old: Double, _ new: Double) -> AccuracySplit {
      AccuracySplit(old: old, new: new, all: (old * 19 + new) / 20, oldCount: 380, newCount: 20, allCount: 400)
    }
    func method(name: String, old: [Double], new: [Double], learn: Double, latency: Double, bytes: Int?, joules: Double) -> MethodReport {
      MethodReport(
        method: name, settings: ["T": name == "spikinglr" ? "100" : "40"], pretrained: split(0.8, 0),
        epochs: zip(old, new).enumerated().map { EpochReport(epoch: $0 + 1, accuracy: split($1.0, $1.1), seconds: learn / Double(old.count)) },
        phases: [PhaseTiming(phase: "pretrain", seconds: 100), PhaseTiming(phase: "learn", seconds: learn)],
        latencySecondsPerSample: latency, replayBytes: bytes, replaySamples: bytes == nil ? nil : 1216,
        energy: EnergyReport(counts: OperationCounts(accumulates: Int(joules / 0.9e-12), macs: 0), measured: EnergyMeasurement(joules: nil, note: "RAPL unavailable")),
        peakRSSBytes: 300 << 20)
    }
    return ContinualReport(
      title: "Replay4NCL", scenario: "19+1 (new class 7)", baseline: "spikinglr",
      methods: [
        method(name: "naive", old: [0.5, 0.2, 0.1], new: [0.6, 0.9, 1.0], learn: 2, latency: 0.001, bytes: nil, joules: 1e-3),
        method(name: "joint", old: [0.8, 0.82, 0.83], new: [0.4, 0.7, 0.8], learn: 60, latency: 0.001, bytes: nil, joules: 5e-2),
        method(name: "spikinglr", old: [0.75, 0.74, 0.74], new: [0.3, 0.6, 0.7], learn: 20, latency: 0.0025, bytes: 1216 * 317, joules: 1e-2),
        method(name: "replay4ncl", old: [0.78, 0.78, 0.79], new: [0.4, 0.65, 0.75], learn: 5, latency: 0.001, bytes: 1216 * 254, joules: 5e-3),
      ],
      sweeps: [
        SweepReport(name: "timesteps", xLabel: "timesteps T", x: [20, 40, 60, 80, 100], series: [
          SweepSeries(name: "old accuracy", unit: "%", values: [60, 75, 78, 79, 80]),
          SweepSeries(name: "new accuracy", unit: "%", values: [50, 70, nil, 72, 74]),
          SweepSeries(name: "learn time", unit: "s", values: [2, 4, 6, 8, 10]),
        ])
      ],
      notes: ["data: shd-dev"])
  }

  func testRatiosAgainstTheBaseline() throws {
    let r = try ReportTests.sampleReport()
    let r4 = r.methods[3], naive = r.methods[0]
    XCTAssertEqual(r.ratio(.learnTime, of: r4)!, 0.25, accuracy: 1e-12)
    XCTAssertEqual(r.ratio(.latency, of: r4)!, 0.4, accuracy: 1e-12)
    XCTAssertEqual(r.ratio(.replayMemory, of: r4)!, 254.0 / 317.0, accuracy: 1e-12)
    XCTAssertEqual(r.ratio(.energy, of: r4)!, 0.5, accuracy: 1e-6)
    XCTAssertNil(r.ratio(.replayMemory, of: naive))
    XCTAssertEqual(r4.replayBytesPerSample, 254)
    XCTAssertEqual(r4.final?.old, 0.79)
  }

  func testTextSummaryHasOneRowPerMethod() throws {
    let text = try ReportTests.sampleReport().textSummary()
    let lines = text.split(separator: "\n").map(String.init)
    for m in ["naive", "joint", "spikinglr", "replay4ncl"] {
      XCTAssertTrue(lines.contains { $0.hasPrefix(m + " ") }, "no row for \(m):\n\(text)")
    }
    let r4 = try XCTUnwrap(lines.first { $0.hasPrefix("replay4ncl ") })
    XCTAssertTrue(r4.contains("79.0"), r4)  // old accuracy %
    XCTAssertTrue(r4.contains("308864"), r4)  // replay bytes
    XCTAssertTrue(text.contains("relative to spikinglr"))
    XCTAssertTrue(text.contains("0.25x"))
    // Columns are aligned: every line of the summary table has the same width.
    let table = try ReportTests.sampleReport().summaryTable.render().split(separator: "\n")
    XCTAssertEqual(Set(table.map(\.count)).count, 1)
  }

  func testJSONRoundTripAndMarkdown() throws {
    let r = try ReportTests.sampleReport()
    let back = try JSONDecoder().decode(ContinualReport.self, from: try r.json())
    XCTAssertEqual(back, r)
    let md = r.markdown()
    XCTAssertTrue(md.contains("| replay4ncl |"))
    XCTAssertTrue(md.contains("![accuracy over epochs](accuracy.svg)"))
    XCTAssertTrue(md.contains("## Sweep over timesteps T"))
  }

  /// The SVGs must be well-formed XML with the expected marks.
  func testSVGsAreWellFormed() throws {
    let r = try ReportTests.sampleReport()
    let acc = r.accuracyChartSVG()
    XCTAssertTrue(XMLParser(data: Data(acc.utf8)).parse(), "accuracy.svg is not well-formed")
    // Two panels x four methods, one polyline each.
    XCTAssertEqual(acc.components(separatedBy: "<polyline").count - 1, 8)
    let cost = r.costChartSVG()
    XCTAssertTrue(XMLParser(data: Data(cost.utf8)).parse(), "costs.svg is not well-formed")
    // Bars: learn time 4, latency 4, replay memory 2 (naive/joint have none), energy 4; plus 4 legend swatches and the background.
    XCTAssertEqual(cost.components(separatedBy: "<rect").count - 1, 14 + 4 + 1)
    let sweep = r.sweeps[0].chartSVG()
    XCTAssertTrue(XMLParser(data: Data(sweep.utf8)).parse())
    // The gap in "new accuracy" splits its line in two.
    XCTAssertEqual(sweep.components(separatedBy: "<polyline").count - 1, 1 + 2 + 1)
    let escaped = LineChart(title: "a < b & c", xLabel: "x", yLabel: "y", series: []).svg()
    XCTAssertTrue(XMLParser(data: Data(escaped.utf8)).parse())
  }

  func testNiceTicks() {
    XCTAssertEqual(SVG.ticks(0, 100, count: 5), [0, 20, 40, 60, 80, 100])
    XCTAssertEqual(SVG.ticks(0, 1.12, count: 5), [0, 0.5, 1, 1.5])
    XCTAssertEqual(SVG.ticks(1, 3, count: 6).first, 1)
    XCTAssertEqual(SVG.ticks(0, 3, count: 6, minStep: 1), [0, 1, 2, 3])
  }

  func testWriteCreatesAllFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try ReportTests.sampleReport().write(to: dir)
    XCTAssertEqual(Set(files.map(\.lastPathComponent)), ["report.json", "report.md", "accuracy.svg", "costs.svg", "sweep-timesteps.svg"])
    for f in files { XCTAssertGreaterThan(try Data(contentsOf: f).count, 100) }
    // A path under a regular file cannot be a directory: a clear error, not a crash.
    XCTAssertThrowsError(try ReportTests.sampleReport().write(to: files[0].appendingPathComponent("sub"))) {
      XCTAssertTrue("\($0)".hasPrefix("report: cannot write"), "\($0)")
    }
  }
}
