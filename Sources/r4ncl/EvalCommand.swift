import ArgumentParser
import Foundation
import Learner
import Storage

/// `r4ncl eval`: top-1 accuracy (overall and per class) and the confusion matrix of a saved
/// model on `DIR/shd_<split>.h5`.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a saved model on an SHD-format dataset.")

  @Option(help: "Model file written by `r4ncl train`.")
  var model: String

  @Option(help: "Directory holding shd_<split>.h5.")
  var data: String

  @Option(help: "Which file to evaluate: shd_<split>.h5.")
  var split: String = "test"

  @Option(help: "Classes to evaluate on: all, 0-18, or a list like 0-9,15.")
  var classes: String = "all"

  @Option(help: "Worker threads.")
  var threads: Int = 2

  @Flag(help: "Print machine-readable JSON instead of tables.")
  var json = false

  @Option(help: "Write each sample's prediction as JSON lines {index, label, predicted} (file order after --classes).")
  var predictions: String?

  @Option(name: .customLong("known-classes"), help: "With --predictions: predict among these readout rows only, as a node that knows them does (e.g. 0-18; default all).")
  var knownClasses: String = "all"

  func validate() throws {
    guard FileManager.default.fileExists(atPath: model) else { throw ValidationError("--model '\(model)': no such file") }
    guard !split.isEmpty, !split.contains("/") else { throw ValidationError("--split '\(split)': expected a name like test or train") }
    guard threads > 0 else { throw ValidationError("--threads must be > 0, got \(threads)") }
    do { _ = try ClassSelection(parsing: classes) } catch { throw ValidationError("\(error)") }
    do { _ = try ClassSelection(parsing: knownClasses) } catch { throw ValidationError("--known-classes: \(error)") }
    if let problem = DatasetFiles.validate(directory: data, splits: [split]) { throw ValidationError(problem) }
  }

  func run() throws {
    let saved = try ModelFile.loadModel(URL(fileURLWithPath: model))
    let selection = try ClassSelection(parsing: classes)
    let (dataset, readSeconds) = try DatasetFiles.load(directory: data, split: split, classes: selection)
    let config = saved.network.config
    guard dataset.channelCount == config.sensorChannelCount else {
      throw CommandFailure("the model expects \(config.sensorChannelCount) input channels, \(data) has \(dataset.channelCount)")
    }
    guard dataset.classNames.count <= config.classCount else {
      throw CommandFailure("the data has \(dataset.classNames.count) classes, the model only \(config.classCount)")
    }
    if !saved.classNames.isEmpty, Array(saved.classNames.prefix(dataset.classNames.count)) != dataset.classNames {
      warn("class names differ between \(model) and the data (\(saved.classNames) vs \(dataset.classNames))")
    }
    let started = Date()
    let trainer = Trainer(network: saved.network, threads: threads)
    let evaluation = try trainer.evaluate(dataset)
    let seconds = Date().timeIntervalSince(started)
    let names = (0..<config.classCount).map { k in
      k < dataset.classNames.count ? dataset.classNames[k] : (k < saved.classNames.count ? saved.classNames[k] : "\(k)")
    }
    let report = EvalReport(
      model: model, data: DatasetFiles.url(directory: data, split: split).path, classes: selection.summary,
      evaluation: evaluation, classNames: names, speakers: dataset.samples.map(\.speaker), readSeconds: readSeconds, evalSeconds: seconds)
    if let predictions {
      let known = try ClassSelection(parsing: knownClasses).classes.map { $0.filter { $0 < config.classCount }.sorted() }
      try writePredictions(trainer, dataset, among: known ?? Array(0..<config.classCount), to: predictions)
    }
    print(json ? try report.json() : report.text())
  }

  /// One JSON line per sample: its index, true label and the argmax of its scores over `rows`
  /// (the first of equal scores, as the node's predictor).
  private func writePredictions(_ trainer: Trainer, _ dataset: SpikeDataset, among rows: [Int], to path: String) throws {
    let binned = try trainer.network.config.binning.bin(dataset)
    let c = trainer.network.config.classCount
    var lines: [String] = []
    for start in stride(from: 0, to: binned.count, by: 256) {
      let chunk = Array(binned[start..<min(start + 256, binned.count)])
      let logits = try trainer.runner.logits(trainer.network, .binned(chunk)).values
      for b in chunk.indices {
        var best = -1
        for k in rows where best < 0 || logits[b * c + k] > logits[b * c + best] { best = k }
        let label = chunk[b].label.map(String.init) ?? "null"
        lines.append("{\"index\": \(start + b), \"label\": \(label), \"predicted\": \(best)}")
      }
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
  }
}
