import ArgumentParser
import Foundation
import Learner
import Node
import Storage
import Yams

/// `r4ncl learn`: compare continual-learning methods on one scenario and write a report.
struct LearnCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "learn",
    abstract: "Continual learning: pretrain, prepare the replay buffer, learn new classes; compare methods.")

  @Option(help: "Scenario: 19+1 (class-incremental), multi (10 then one class at a time), sample (new speakers).")
  var scenario = "19+1"
  @Option(name: .customLong("new-class"), help: "Held-out class for 19+1: an id, 'last' or 'all' (each in turn, averaged).")
  var newClass = "last"
  @Option(help: "Comma-separated methods (naive, joint, spikinglr, replay4ncl, or a name of your own whose knobs come from --config or --set NAME.key=value).")
  var methods = LearnCommand.defaultMethods
  @Option(help: "Folder with shd_train.h5 and shd_test.h5.")
  var data: String
  @Option(help: "Report folder (report.json, report.md, SVG plots).")
  var report: String?
  @Option(name: .customLong("pretrain-epochs"), help: "Pretraining epochs (all methods).")
  var pretrainEpochs: Int?
  @Option(help: "Learning-phase epochs (all methods but naive, which keeps its own unless set with --set naive.epochs=N).")
  var epochs: Int?
  @Option(name: .customLong("config"), help: "YAML preset file(s); a file with 'method: X' sets knobs of method X, otherwise of all methods.")
  var configs: [String] = []
  @Option(name: .customLong("set"), help: "Knob override key=value, or method.key=value for one method (repeatable).")
  var sets: [String] = []
  @Option(help: "Folder caching pretrained models between runs.")
  var cache: String?
  @Option(help: "Folder for checkpoints after each phase.")
  var checkpoints: String?
  @Option(help: "Threads per batch.")
  var threads: Int?
  @Option(name: .customLong("initial-classes"), help: "multi: classes learned in pretraining (the first N ids).")
  var initialClasses = 10
  @Option(help: "multi: number of classes to add (default: all remaining).")
  var steps: Int?
  @Option(help: "19+1 benchmark: after the run, time each method's learning phase N more times (methods alternating) and print the medians and their ratio.")
  var `repeat` = 0
  @Flag(name: .customLong("pretrain-only"), help: "Only pretrain (and cache) the models the methods need.")
  var pretrainOnly = false
  @Option(name: .customLong("from-model"), help: "Skip pretraining: learn --new-class into this r4ncl train model file with one method (as a node does).")
  var fromModel: String?
  @Option(name: .customLong("model-classes"), help: "With --from-model: the classes the model knows (default: every readout row but the new class).")
  var modelClasses: String?
  @Option(help: "With --from-model: new-class training samples, the first N in file order (0 = all; r4ncl label --count).")
  var count = 0
  @Option(help: "With --from-model (required there): model file to write with the learned network.")
  var out: String?

  static let defaultMethods = "naive,joint,spikinglr,replay4ncl"

  /// The scenarios --scenario names (the longer names are accepted too).
  enum Scenario {
    case classIncremental, multiStep, sampleIncremental

    init?(_ text: String) {
      switch text.lowercased() {
      case "19+1": self = .classIncremental
      case "multi", "multi-step": self = .multiStep
      case "sample", "sample-incremental": self = .sampleIncremental
      default: return nil
      }
    }
  }

  /// Every argument check, before any data is read: --repeat (it times the 19+1 scenario's
  /// learning phase only), --from-model's needs, and the method settings.
  func validate() throws {
    guard let scenarioValue = Scenario(scenario) else {
      throw ValidationError("--scenario must be 19+1, multi or sample, got '\(scenario)'")
    }
    guard `repeat` >= 0 else { throw ValidationError("--repeat must be >= 0, got \(`repeat`)") }
    guard `repeat` == 0 || (scenarioValue == .classIncremental && fromModel == nil && !pretrainOnly) else {
      throw ValidationError("--repeat times the 19+1 scenario's learning phase; not with --scenario \(scenario), --from-model or --pretrain-only")
    }
    guard count >= 0 else { throw ValidationError("--count must be >= 0, got \(count)") }
    if fromModel != nil {
      guard out != nil else { throw ValidationError("--from-model needs --out FILE: the learned model is written only there") }
      guard let new = Int(newClass), new >= 0 else {
        throw ValidationError("--from-model needs --new-class set to one readout row (a class id), got '\(newClass)'")
      }
      if let modelClasses {
        do { _ = try ClassSelection(parsing: modelClasses, option: "--model-classes") } catch { throw ValidationError("\(error)") }
      }
    } else if !["last", "all"].contains(newClass.lowercased()) && (Int(newClass) ?? -1) < 0 {
      throw ValidationError("--new-class must be a class id, 'last' or 'all', got '\(newClass)'")
    }
    let settings: [ContinualSettings]
    do { settings = try methodSettings() } catch let error as ValidationError { throw error } catch { throw ValidationError("\(error)") }
    guard fromModel == nil || settings.count == 1 else {
      throw ValidationError(
        "--from-model learns with one method; this run has \(settings.count) (\(settings.map(\.method).joined(separator: ", "))): name one with --methods")
    }
    if let out { try OutputPath.checkFile(out, option: "--out") }
    if let report { try OutputPath.checkFolder(report, option: "--report") }
    if let checkpoints { try OutputPath.checkFolder(checkpoints, option: "--checkpoints") }
    if let cache { try OutputPath.checkFolder(cache, option: "--cache") }
  }

  func run() throws {
    if let fromModel { return try learnFromModel(fromModel) }
    let dir = URL(fileURLWithPath: data)
    let train = try SHDFile.read(dir.appendingPathComponent("shd_train.h5"))
    let test = try SHDFile.read(dir.appendingPathComponent("shd_test.h5"))
    let settings = try methodSettings()
    if let out = report {  // an unwritable report folder fails now, not after the training
      do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
        throw CommandFailure("--report \(out): cannot create the folder (\(error.localizedDescription))")
      }
    }
    let continualData = ContinualData(train: train, test: test)
    let cacheStore: PretrainCache = try cache.map {
      try CheckpointPretrainCache(directory: URL(fileURLWithPath: $0), classNames: train.classNames)
    } ?? MemoryPretrainCache()
    let run = ContinualRun(data: continualData, cache: cacheStore)
    run.log = { print($0); fflush(stdout) }
    if let c = checkpoints { run.checkpoint = try checkpointWriter(URL(fileURLWithPath: c), classNames: train.classNames, settings: settings) }
    print("data: \(train.count) train / \(test.count) test samples, \(continualData.classCount) classes; methods \(settings.map(\.method).joined(separator: ","))")

    let summary: ContinualSummary
    var matrices: [String: AccuracyMatrix] = [:]
    var timedSplits: [([Int], Int)] = []
    switch Scenario(scenario) ?? .classIncremental {  // validate() refuses other names
    case .multiStep:
      let initial = Array(0..<min(initialClasses, continualData.classCount))
      var order = Array(initial.count..<continualData.classCount)
      if let s = steps { order = Array(order.prefix(s)) }
      let scenarioValue = MultiStepScenario(initialClasses: initial, newClassOrder: order)
      if pretrainOnly { return try pretrainOnlyRun(run, settings, old: initial) }
      var summaries: [MethodSummary] = []
      for s in settings {
        let r = try scenarioValue.run(s, on: run)
        print(r.table())
        summaries.append(r.summary)
        matrices[s.method] = try r.reportMatrix()
      }
      summary = ContinualSummary(scenario: "multi-step \(initial.count)+1x\(order.count)", newClasses: order, methods: summaries)
    case .sampleIncremental:
      let scenarioValue = SampleIncrementalScenario()
      let results = try settings.map { try scenarioValue.run($0, on: run) }
      summary = ContinualSummary(scenario: "sample-incremental", newClasses: [], methods: results.map { MethodSummary([$0]) })
    case .classIncremental:
      let classes = continualData.classCount
      let held: [Int]
      switch newClass.lowercased() {
      case "last": held = [classes - 1]
      case "all": held = Array(0..<classes)
      default:
        guard let h = Int(newClass), h >= 0, h < classes else {
          throw CommandFailure("--new-class must be a class id in 0..<\(classes), 'last' or 'all', got '\(newClass)'")
        }
        held = [h]
      }
      if pretrainOnly {
        for h in held { try pretrainOnlyRun(run, settings, old: (0..<classes).filter { $0 != h }) }
        return
      }
      let results = try ClassIncrementalScenario(heldOut: held).run(settings, on: run)
      let perMethod = settings.indices.map { m in results.map { $0[m] } }
      summary = ContinualSummary(scenario: "class-incremental \(classes - 1)+1", newClasses: held, methods: perMethod.map(MethodSummary.init))
      timedSplits = held.map { h in ((0..<classes).filter { $0 != h }, h) }
    }
    print(summary.table())
    if let out = report {
      var r = summary.report(title: "Replay4NCL continual learning on \(dir.lastPathComponent)", notes: [
        "data: \(train.count) train / \(test.count) test samples, \(continualData.classCount) classes",
        "command: r4ncl " + CommandLine.arguments.dropFirst().joined(separator: " "),
      ])
      for i in r.methods.indices { r.methods[i].accuracyMatrix = matrices[r.methods[i].method] }
      try writeReport(r, summary: summary, to: URL(fileURLWithPath: out))
    }
    for (old, new) in timedSplits where `repeat` > 0 { try timeLearning(run, settings, old: old, new: new) }
  }

  /// `--repeat N`: each method's learning phase N more times, methods alternating; medians,
  /// spreads and the ratio of every method's median to the last method's.
  func timeLearning(_ run: ContinualRun, _ settings: [ContinualSettings], old: [Int], new: Int) throws {
    print("\nlearning phase of class \(new), \(`repeat`) repeats per method (methods alternating; pretraining and replay buffer made once)")
    run.log = nil
    let timings = try run.timeLearning(settings, oldClasses: old, newClasses: [new], repeats: `repeat`) { round, method, seconds in
      print(String(format: "  repeat %d %@ %.3f s", round, method, seconds))
      fflush(stdout)
    }
    print("method       wall median  wall min  wall max  cpu median  decoding  steps  ms/step  events/sample  identical")
    for t in timings {
      let msPerStep = 1e3 * (t.medianWall - t.medianDecode) / Double(max(t.steps, 1))
      print(String(format: "%-12@ %9.3f s %8.3f s %8.3f s %9.3f s %7.3f s %6d %8.2f %14.1f  %@", t.method, t.medianWall,
                   t.wallSeconds.min() ?? 0, t.wallSeconds.max() ?? 0, t.medianCPU, t.medianDecode, t.steps, msPerStep,
                   t.inputEventsPerSample, t.identical ? "yes" : "NO"))
    }
    print("decoding = median seconds decoding the replay buffer; ms/step = (wall - decoding) / steps (medians);")
    print("events/sample = events entering the first trained layer per training sample")
    if let last = timings.last, timings.count > 1, last.medianWall > 0, last.medianCPU > 0 {
      for t in timings.dropLast() {
        print(String(format: "learning-phase wall time %@/%@ (medians): %.2fx; CPU time: %.2fx", t.method, last.method,
                     t.medianWall / last.medianWall, t.medianCPU / last.medianCPU))
      }
    }
  }

  /// `--from-model`: the node's learning run offline (`ContinualSession`, one thread unless
  /// --threads says otherwise, like the node): prepare on the model's known classes of
  /// shd_train.h5, learn the new class from its first --count training samples, report the test
  /// accuracy per epoch when shd_test.h5 exists, and write the learned model.
  func learnFromModel(_ path: String) throws {
    let saved = try ModelFile.loadModel(URL(fileURLWithPath: path))
    let dir = URL(fileURLWithPath: data)
    let train = try SHDFile.read(dir.appendingPathComponent("shd_train.h5"))
    let testURL = dir.appendingPathComponent("shd_test.h5")
    let rows = saved.network.config.classCount
    guard let new = Int(newClass), (0..<rows).contains(new) else {
      throw CommandFailure("--from-model needs --new-class set to one readout row in 0..<\(rows) of \(path), got '\(newClass)'")
    }
    var known = (0..<rows).filter { $0 != new }
    if let modelClasses {
      let selection = try ClassSelection(parsing: modelClasses, option: "--model-classes")  // checked by validate()
      known = known.filter { selection.classes?.contains($0) ?? true }
    }
    // validate() checked that this run has exactly one method.
    guard var settings = try methodSettings().first else { throw CommandFailure("--from-model: no method") }
    if threads == nil { settings.threads = 1 }
    let started = Date()
    var session = try ContinualSession.prepare(pretrained: saved.network, classes: known, settings: settings, replayData: train)
    print(String(format: "[%@] prepared on classes %@ in %.2f s: replay %d samples, %d bytes; thresholds %@",
                 session.settings.method, ClassSelection.summary(known), Date().timeIntervalSince(started), session.store?.sampleCount ?? 0,
                 session.store?.totalBytes ?? 0, session.network.thresholds.map { String(format: "%.3f", $0) }.joined(separator: ",")))
    var samples = train.filtered(classes: [new]).samples
    if count > 0 { samples = Array(samples.prefix(count)) }
    let test = FileManager.default.fileExists(atPath: testURL.path)
      ? try SHDFile.read(testURL).filtered(classes: Set(known + [new])) : nil
    let outcome = try session.learn(
      [new], from: SpikeDataset(samples: samples, channelCount: train.channelCount, classNames: []), test: test
    ) { e in
      print(String(format: "  epoch %d old %@ new %@ all %@ loss %.4f (%.2f s)", e.epoch, pctText(e.old), pctText(e.new), pctText(e.all), e.meanLoss, e.trainSeconds))
      fflush(stdout)
    }
    print(String(format: "[%@] learned class %d from %d samples in %.2f s", settings.method, new, samples.count, outcome.learnSeconds))
    if let out {  // validate() requires --out with --from-model
      let info: [String: HDF5Attribute] = [
        "data": .string(dir.appendingPathComponent("shd_train.h5").path), "base_model": .string(path),
        "method": .string(settings.method), "new_class": .int(new), "classes": .string(ClassSelection.summary(known + [new])),
      ]
      try ModelFile.save(session.network, classNames: saved.classNames, info: info, to: URL(fileURLWithPath: out))
      print("wrote \(out)")
    }
  }

  /// Pretrains (or finds cached) the models of every method, then stops.
  func pretrainOnlyRun(_ run: ContinualRun, _ settings: [ContinualSettings], old: [Int]) throws {
    for s in settings {
      let (m, cached) = try run.pretrained(s, oldClasses: old)
      let e = try run.evaluate(m.network, timesteps: s.pretrainTimesteps, maxTime: s.maxTime, threads: s.threads)
      print("[\(s.method)] pretrained T=\(s.pretrainTimesteps)\(cached ? " (cached)" : String(format: " in %.1f s", m.seconds)): test old-class accuracy \(String(format: "%.1f%%", 100 * (e.accuracy(onClasses: Set(old)) ?? 0))), rates \(m.layerRates.map { String(format: "%.4f", $0) })")
    }
  }

  /// A method's settings before --config and --set: its preset, or the defaults under its name.
  static func startingSettings(_ name: String) -> (settings: ContinualSettings, isPreset: Bool) {
    let preset = try? ContinualSettings.preset(name)
    var s = preset ?? ContinualSettings(method: name)
    s.method = name
    return (s, preset != nil)
  }

  /// The methods --methods names; --from-model with the default list learns with replay4ncl
  /// alone (the node's default method).
  var methodNames: [String] {
    if fromModel != nil && methods == Self.defaultMethods { return ["replay4ncl"] }
    return methods.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// Presets, then YAML files, then --pretrain-epochs/--epochs/--threads, then --set overrides.
  func methodSettings() throws -> [ContinualSettings] {
    let names = methodNames
    var list: [ContinualSettings] = []
    var unconfigured: [String] = []  // names that are no preset, until --config or --set gives them knobs
    for n in names {
      let (s, isPreset) = Self.startingSettings(n)
      if !isPreset { unconfigured.append(n) }
      list.append(s)
    }
    for path in configs {
      let text: String
      do { text = try TextFile.read(path) } catch { throw ValidationError("--config \(error)") }
      let knobs = try Self.yamlKnobs(text, file: path)
      if let target = knobs.first(where: { $0.key == "method" })?.value {
        unconfigured.removeAll { $0 == target }
        if !list.contains(where: { $0.method == target }) { list.append(Self.startingSettings(target).settings) }
        for i in list.indices where list[i].method == target { try list[i].apply(overrides: knobs.filter { $0.key != "method" }) }
      } else {
        for i in list.indices { try list[i].apply(overrides: knobs) }
      }
    }
    for i in list.indices {
      if let p = pretrainEpochs { list[i].pretrainEpochs = p }
      if let e = epochs, list[i].strategy != .naive { list[i].learnEpochs = e }
      if let t = threads { list[i].threads = t }
    }
    for item in sets {
      guard let eq = item.firstIndex(of: "=") else { throw ValidationError("--set '\(item)' must be key=value or method.key=value") }
      var key = String(item[..<eq])
      let value = String(item[item.index(after: eq)...])
      var target: String?
      if let dot = key.firstIndex(of: "."), !key.hasPrefix(".") {
        let method = String(key[..<dot])
        // Without this a misspelt or absent method's knob would set nothing, silently.
        guard list.contains(where: { $0.method == method }) else {
          throw ValidationError("--set '\(item)': '\(method)' is not a method of this run (\(list.map(\.method).joined(separator: ", ")))")
        }
        target = method
        unconfigured.removeAll { $0 == target }
        key = String(key[key.index(after: dot)...])
      }
      for i in list.indices where target == nil || list[i].method == target { try list[i].set(key, value) }
    }
    for s in list { try s.validate() }
    guard !list.isEmpty else { throw ValidationError("--methods names no method") }
    // A name that is no preset runs the default settings plus its own knobs; without any knobs
    // it is far more likely a typo than a method, so it is refused before any training.
    if let n = unconfigured.first {
      throw ValidationError(
        "--methods: '\(n)' is not a method (naive, joint, spikinglr, replay4ncl); a method of your own needs its knobs from --config (a file with 'method: \(n)') or --set \(n).key=value")
    }
    return list
  }

  /// A YAML mapping of knobs as key/value text pairs (lists become "a,b,c"), in file order.
  static func yamlKnobs(_ text: String, file: String) throws -> [(key: String, value: String)] {
    let node: Node?
    do { node = try BoundedYAML.compose(text) } catch {
      throw ValidationError("--config \(file): not valid YAML (\(error))")
    }
    guard let mapping = node?.mapping else {
      throw ValidationError("--config \(file): the top level must be a mapping of knob: value")
    }
    var out: [(key: String, value: String)] = []
    for (k, v) in mapping {
      guard let key = k.string else { throw ValidationError("--config \(file): a key is not a string") }
      if let seq = v.sequence {
        out.append((key, seq.compactMap(\.string).joined(separator: ",")))
      } else if let s = v.string {
        out.append((key, s))
      } else {
        throw ValidationError("--config \(file): '\(key)' must be a scalar or a list")
      }
    }
    return out
  }

  /// Writes a checkpoint per phase and method: `<dir>/<method>-<phase>.h5`.
  func checkpointWriter(_ dir: URL, classNames: [String], settings: [ContinualSettings]) throws -> (PhaseSnapshot) throws -> Void {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let json = Dictionary(uniqueKeysWithValues: try settings.map { ($0.method, String(decoding: try JSONEncoder().encode($0), as: UTF8.self)) })
    return { snap in
      let c = Checkpoint(
        phase: snap.phase, method: snap.method, network: snap.network, layerRates: snap.layerRates, classNames: classNames,
        settingsJSON: json[snap.method] ?? "", replay: snap.store.map(CheckpointReplay.init))
      try CheckpointHDF5.write(c, to: dir.appendingPathComponent("\(snap.method)-\(snap.phase).h5"))
    }
  }

  /// report.json, report.md and the plots (Report module), plus summary.json (our averages and ratios).
  func writeReport(_ report: ContinualReport, summary: ContinualSummary, to dir: URL) throws {
    try report.write(to: dir)
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    try enc.encode(summary).write(to: dir.appendingPathComponent("summary.json"))
    print("report written to \(dir.path)")
  }
}

/// "54.3%" or "-".
private func pctText(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "-" }
