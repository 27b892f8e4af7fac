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

  @Option(help: "Model file (r4ncl train, learn --from-model --out) or spiking checkpoint (learn --checkpoints, a node's checkpoint.dir).")
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

  @Option(name: .customLong("known-classes"), help: "Predict among these readout rows only, as a node that knows them does (e.g. 0-18; default: the classes the file knows, every row of a model file).")
  var knownClasses: String = "all"

  func validate() throws {
    guard FileManager.default.fileExists(atPath: model) else { throw ValidationError("--model '\(model)': no such file") }
    guard !split.isEmpty, !split.contains("/") else { throw ValidationError("--split '\(split)': expected a name like test or train") }
    guard threads > 0 else { throw ValidationError("--threads must be > 0, got \(threads)") }
    do { _ = try ClassSelection(parsing: classes) } catch { throw ValidationError("\(error)") }
    do { _ = try ClassSelection(parsing: knownClasses, option: "--known-classes") } catch { throw ValidationError("\(error)") }
    if let predictions { try OutputPath.checkFile(predictions, option: "--predictions") }
    if let problem = DatasetFiles.validate(directory: data, splits: [split]) { throw ValidationError(problem) }
  }

  func run() throws {
    let file = try NetworkFile.read(URL(fileURLWithPath: model))
    let saved = file.model
    let selection = try ClassSelection(parsing: classes)
    let (dataset, readSeconds) = try DatasetFiles.load(directory: data, split: split, classes: selection)
    let config = saved.network.config
    guard dataset.channelCount == config.sensorChannelCount else {
      throw CommandFailure("the model \(model) expects \(config.sensorChannelCount) input channels, \(data) has \(dataset.channelCount)")
    }
    guard dataset.classNames.count <= config.classCount else {
      throw CommandFailure("\(data) has \(dataset.classNames.count) classes, the model \(model) only \(config.classCount)")
    }
    // A checkpoint names only the classes it knows.
    let named = (file.knownRows ?? Array(saved.classNames.indices)).filter { $0 < min(saved.classNames.count, dataset.classNames.count) }
    if !saved.classNames.isEmpty, named.contains(where: { saved.classNames[$0] != dataset.classNames[$0] }) {
      warn("class names differ between \(model) and the data (\(saved.classNames) vs \(dataset.classNames))")
    }
    let started = Date()
    let known = try ClassSelection(parsing: knownClasses, option: "--known-classes").classes.map { $0.filter { $0 < config.classCount }.sorted() } ?? file.knownRows
    if known?.isEmpty == true { throw CommandFailure("--known-classes \(knownClasses): no readout row of the model \(model) (0..<\(config.classCount))") }
    let trainer = Trainer(network: saved.network, threads: threads)
    let evaluation = try trainer.evaluate(dataset, among: known)
    let seconds = Date().timeIntervalSince(started)
    let names = (0..<config.classCount).map { k in
      k < dataset.classNames.count ? dataset.classNames[k] : (k < saved.classNames.count ? saved.classNames[k] : "\(k)")
    }
    let report = EvalReport(
      model: model, data: DatasetFiles.url(directory: data, split: split).path, classes: selection.summary, knownClasses: known,
      evaluation: evaluation, classNames: names, speakers: dataset.samples.map(\.speaker), readSeconds: readSeconds, evalSeconds: seconds)
    if let predictions { try writePredictions(evaluation, dataset, to: predictions) }
    print(json ? try report.json() : report.text())
  }

  /// One JSON line per sample: its index, true label and prediction (among the known rows, the
  /// first of equal scores, as the node's predictor).
  private func writePredictions(_ evaluation: Evaluation, _ dataset: SpikeDataset, to path: String) throws {
    let lines = zip(dataset.samples, evaluation.predictions).enumerated().map { i, pair in
      "{\"index\": \(i), \"label\": \(pair.0.label.map(String.init) ?? "null"), \"predicted\": \(pair.1)}"
    }
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
  }
}
