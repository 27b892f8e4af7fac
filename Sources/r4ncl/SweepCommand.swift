import ArgumentParser
import Foundation
import Learner
import Storage

/// `r4ncl sweep`: one method's accuracy and cost per learning-phase timestep count or per
/// injection depth (Replay4NCL's timestep optimisation and depth exploration).
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep", abstract: "Sweep timesteps or injection depth for one continual-learning method (table + plot).")

  @Option(help: "Comma-separated learning-phase timesteps, e.g. 20,40,60,80,100.")
  var timesteps: String?
  @Option(help: "Comma-separated injection depths, e.g. 0,1,2,3.")
  var depths: String?
  @Option(help: "Method preset to sweep.")
  var method = "replay4ncl"
  @Flag(name: .customLong("pretrain-each"), help: "Timestep sweep: also pretrain at each T (default: learn at T from the preset's pretrained model).")
  var pretrainEach = false
  @Option(help: "Folder with shd_train.h5 and shd_test.h5.")
  var data: String
  @Option(help: "Report folder: writes report.json, report.md, accuracy.svg, costs.svg and sweep-timesteps.svg or sweep-depth.svg.")
  var report: String?
  @Option(name: .customLong("new-class"), help: "Held-out class (default: the last).")
  var newClass: Int?
  @Option(name: .customLong("pretrain-epochs")) var pretrainEpochs: Int?
  @Option var epochs: Int?
  @Option(name: .customLong("config"), help: "YAML preset file(s) (see r4ncl learn).")
  var configs: [String] = []
  @Option(name: .customLong("set"), help: "Knob override key=value (repeatable).")
  var sets: [String] = []
  @Option(help: "Folder caching pretrained models between runs.")
  var cache: String?

  func validate() throws {
    guard (timesteps == nil) != (depths == nil) else { throw ValidationError("give exactly one of --timesteps and --depths") }
    guard !(try sweepValues()).isEmpty else { throw ValidationError("--\(timesteps != nil ? "timesteps" : "depths") names no value") }
    if let report { try OutputPath.checkFolder(report, option: "--report") }
    _ = try learnCommand()
  }

  /// The values of --timesteps or --depths.
  func sweepValues() throws -> [Int] {
    try (timesteps ?? depths ?? "").split(separator: ",").map { s -> Int in
      guard let v = Int(s.trimmingCharacters(in: .whitespaces)), v >= 0 else { throw ValidationError("sweep value '\(s)' is not a non-negative integer") }
      return v
    }
  }

  /// `r4ncl learn` with this sweep's method and knobs; its argument errors as ours.
  func learnCommand() throws -> LearnCommand {
    var arguments: [String] = ["--data", data, "--methods", method]
    for c in configs { arguments += ["--config", c] }
    for s in sets { arguments += ["--set", s] }
    if let p = pretrainEpochs { arguments += ["--pretrain-epochs", String(p)] }
    if let e = epochs { arguments += ["--epochs", String(e)] }
    do { return try LearnCommand.parse(arguments) } catch { throw ValidationError(LearnCommand.message(for: error)) }
  }

  func run() throws {
    let values = try sweepValues()
    let base = try learnCommand().methodSettings()[0]
    let dir = URL(fileURLWithPath: data)
    let train = try SHDFile.read(dir.appendingPathComponent("shd_train.h5"))
    let test = try SHDFile.read(dir.appendingPathComponent("shd_test.h5"))
    let cd = ContinualData(train: train, test: test)
    let store: PretrainCache = try cache.map { try CheckpointPretrainCache(directory: URL(fileURLWithPath: $0), classNames: train.classNames) } ?? MemoryPretrainCache()
    let run = ContinualRun(data: cd, cache: store)
    run.log = { print($0); fflush(stdout) }
    let held = newClass ?? cd.classCount - 1
    let old = (0..<cd.classCount).filter { $0 != held }
    var summaries: [MethodSummary] = []
    for v in values {
      var s = base
      if timesteps != nil {
        s.learnTimesteps = v
        if pretrainEach { s.pretrainTimesteps = v }
        s.method = "\(method) T=\(v)"
      } else {
        s.depth = v
        s.method = "\(method) d=\(v)"
      }
      try s.validate()
      summaries.append(MethodSummary([try run.run(s, oldClasses: old, newClasses: [held])]))
    }
    let label = timesteps != nil ? "learning-phase timesteps T" : "injection depth d"
    let summary = ContinualSummary(scenario: "sweep of \(label) (\(method), class-incremental, new class \(held))", newClasses: [held], methods: summaries)
    print(summary.table())
    if let out = report {
      let o = URL(fileURLWithPath: out)
      let xs = values.map(Double.init)
      let ms = summary.methods
      let sweep = SweepReport(
        name: timesteps != nil ? "timesteps" : "depth", xLabel: label, x: xs,
        series: [
          SweepSeries(name: "old accuracy", unit: "%", values: ms.map { $0.old.map { 100 * $0 } }),
          SweepSeries(name: "new accuracy", unit: "%", values: ms.map { $0.new.map { 100 * $0 } }),
          SweepSeries(name: "learning time", unit: "s", values: ms.map { $0.learnSeconds }),
          SweepSeries(name: "inference latency", unit: "ms", values: ms.map { $0.inferenceMilliseconds }),
          SweepSeries(name: "replay memory", unit: "bytes", values: ms.map { $0.replayBytes }),
        ])
      var r = summary.report(title: "Sweep of \(label)", baseline: ms.first?.method ?? "")
      r.sweeps = [sweep]
      try r.write(to: o)
      print("sweep report written to \(o.path)")
    }
  }
}
