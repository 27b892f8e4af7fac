import ArgumentParser
import Foundation
import Learner
import Storage

/// `r4ncl train`: trains the reference network on `DIR/shd_train.h5` and writes a model file.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a spiking network on an SHD-format dataset and save it as an HDF5 model.")

  /// The optimizers the CLI offers (the engine's `OptimizerKind`).
  enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
    case adamax, adam
    var kind: OptimizerKind { self == .adamax ? .adamax : .adam }
  }

  @Option(help: "Directory holding shd_train.h5 (and shd_test.h5 for --test).")
  var data: String

  @Option(help: "Number of time bins T.")
  var timesteps: Int = 100

  @Option(help: "Binned window in seconds.")
  var maxTime: Double = 1.4

  @Option(help: "Training epochs (> 0).")
  var epochs: Int

  @Option(help: "Classes to train on: all, 0-18, or a list like 0-9,15.")
  var classes: String = "all"

  @Option(help: "Learning rate.")
  var lr: Float = 2e-4

  @Option(help: "Optimizer: adamax (SpikingLR) or adam.")
  var optimizer: OptimizerChoice = .adamax

  @Option(help: "Seed of the weight initialisation and the epoch shuffles.")
  var seed: UInt64 = 0

  @Option(help: "Minibatch size.")
  var batch: Int = 64

  @Option(help: "Hidden layer sizes, comma separated.")
  var hidden: String = "200,100,50"

  @Option(help: "Worker threads for the forward/backward pass.")
  var threads: Int = 2

  @Flag(help: "Evaluate on DIR/shd_test.h5 after every epoch.")
  var test = false

  @Option(help: "Model file to write (HDF5; rewritten atomically after every epoch).")
  var out: String

  func validate() throws {
    guard epochs > 0 else { throw ValidationError("--epochs must be > 0, got \(epochs)") }
    guard timesteps > 0 else { throw ValidationError("--timesteps must be > 0, got \(timesteps)") }
    guard maxTime > 0, maxTime.isFinite else { throw ValidationError("--max-time must be > 0 seconds, got \(maxTime)") }
    guard batch > 0 else { throw ValidationError("--batch must be > 0, got \(batch)") }
    guard threads > 0 else { throw ValidationError("--threads must be > 0, got \(threads)") }
    guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number, got \(lr)") }
    _ = try hiddenSizes()
    do { _ = try ClassSelection(parsing: classes) } catch { throw ValidationError("\(error)") }
    if let problem = DatasetFiles.validate(directory: data, splits: test ? ["train", "test"] : ["train"]) {
      throw ValidationError(problem)
    }
    let outDirectory = URL(fileURLWithPath: out).deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: outDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw ValidationError("--out '\(out)': directory \(outDirectory) does not exist")
    }
  }

  private func hiddenSizes() throws -> [Int] {
    let sizes = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw ValidationError("--hidden '\(hidden)': expected positive sizes like 200,100,50")
    }
    return sizes.map { $0! }
  }

  func run() throws {
    let selection = try ClassSelection(parsing: classes)
    let (train, readSeconds) = try DatasetFiles.load(directory: data, split: "train", classes: selection)
    print("read shd_train.h5: \(DatasetFiles.summary(train)) in \(String(format: "%.2f", readSeconds)) s (classes \(selection.summary))")
    var testSet: SpikeDataset?
    if test {
      let (loaded, seconds) = try DatasetFiles.load(directory: data, split: "test", classes: selection)
      print("read shd_test.h5: \(DatasetFiles.summary(loaded)) in \(String(format: "%.2f", seconds)) s")
      testSet = loaded
    }
    guard train.count > 0 else { throw ValidationError("no training samples in classes \(selection.summary)") }

    let config = NetworkConfig(
      sizes: [train.channelCount] + (try hiddenSizes()) + [train.classNames.count],
      timesteps: timesteps, maxTime: maxTime, seed: seed)
    let trainer = Trainer(
      network: try Network(config: config), optimizer: OptimizerSettings(kind: optimizer.kind, learningRate: lr),
      threads: threads, batchSize: batch, shuffleSeed: seed &+ 1)
    let binStarted = Date()
    let binned = try config.binning.bin(train)
    let testBinned = try testSet.map { try config.binning.bin($0) }
    print(
      "network \(config.sizes.map(String.init).joined(separator: "-")), T = \(timesteps), \(optimizer.rawValue) lr \(lr), "
        + "batch \(batch), \(threads) threads; binned in \(String(format: "%.2f", Date().timeIntervalSince(binStarted))) s")

    var line = ProgressLine()
    var info: [String: HDF5Attribute] = [
      "data": .string(DatasetFiles.url(directory: data, split: "train").path), "classes": .string(selection.summary),
      "optimizer": .string(optimizer.rawValue), "learning_rate": .double(Double("\(lr)") ?? Double(lr)), "batch": .int(batch),
      "seed": .int(Int(truncatingIfNeeded: seed)),
    ]
    for epoch in 1...epochs {
      let summaries = try trainer.train(binned: binned, epochs: 1) { event in
        if case .batch(let report) = event {
          line.update("epoch \(epoch)/\(epochs)  batch \(report.batch)/\(report.batchCount)  loss \(String(format: "%.4f", report.loss))")
        }
      }
      guard let summary = summaries.last else { break }
      var text = "epoch \(epoch)/\(epochs)  loss \(String(format: "%.4f", summary.meanLoss))  "
        + "train \(percent(summary.trainAccuracy))  \(String(format: "%.1f", summary.samplesPerSecond)) samples/s"
      info["epochs"] = .int(epoch)
      info["train_loss"] = .double(Double(summary.meanLoss))
      info["train_accuracy"] = .double(summary.trainAccuracy)
      if let testBinned {
        let evaluation = try trainer.evaluate(.binned(testBinned))
        text += "  test \(percent(evaluation.accuracy)) (loss \(String(format: "%.4f", evaluation.meanLoss)))"
        info["test_accuracy"] = .double(evaluation.accuracy)
      }
      try ModelFile.save(trainer.network, classNames: train.classNames, info: info, to: URL(fileURLWithPath: out))
      line.log(text)
    }
    print("wrote \(out)")
  }
}
