import ArgumentParser
import Foundation
import Learner
import Storage

/// `r4ncl train`: trains a network on `DIR/shd_train.h5` by a training recipe and writes a model file.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a spiking network on an SHD-format dataset and save it as an HDF5 model.",
    discussion: """
      The recipe (--recipe) sets network, input encoding, optimizer, epochs and augmentation; the \
      other options override single settings. Built-in recipes: r4ncl (the default) and spikinglr \
      (SpikingLR's network and settings); a YAML file such as presets/recipes/r4ncl.yaml works too.

      With --validation-speakers N, N training speakers are held out and the best epoch on them is \
      kept; --test evaluates shd_test.h5 once, at the end.
      """)

  /// The optimizers the CLI offers (the engine's `OptimizerKind`).
  enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
    case adamax, adam
    var kind: OptimizerKind { self == .adamax ? .adamax : .adam }
  }

  @Option(help: "Directory holding shd_train.h5 (and shd_test.h5 for --test).")
  var data: String

  @Option(help: "Training recipe: a built-in name (r4ncl, spikinglr) or a YAML file.")
  var recipe: String = "r4ncl"

  @Option(help: "Number of time bins T (overrides the recipe).")
  var timesteps: Int?

  @Option(help: "Binned window in seconds (overrides the recipe).")
  var maxTime: Double?

  @Option(help: "Training epochs (overrides the recipe).")
  var epochs: Int?

  @Option(help: "Classes to train on: all, 0-18, or a list like 0-9,15.")
  var classes: String = "all"

  @Option(help: "Learning rate (overrides the recipe).")
  var lr: Float?

  @Option(help: "Optimizer: adamax or adam (overrides the recipe).")
  var optimizer: OptimizerChoice?

  @Option(help: "Decoupled weight decay (overrides the recipe).")
  var weightDecay: Float?

  @Option(help: "Seed of the weight initialisation, the epoch shuffles, the augmentation and the validation split.")
  var seed: UInt64 = 0

  @Option(help: "Minibatch size (overrides the recipe).")
  var batch: Int?

  @Option(help: "Hidden layer sizes, comma separated (overrides the recipe).")
  var hidden: String?

  @Option(help: "Surrogate-gradient steepness (overrides the recipe).")
  var surrogateScale: Float?

  @Option(help: "Sensor channels summed per input (overrides the recipe).")
  var pool: Int?

  @Option(help: "Onset alignment QUANTILE,LEAD or none (overrides the recipe).")
  var onset: String?

  @Option(help: "Augmentation shift=S,stretch=F,channels=C,drop=P or none (overrides the recipe).")
  var augment: String?

  @Option(help: "Training speakers held out for model selection (overrides the recipe).")
  var validationSpeakers: Int?

  @Option(help: "Worker threads for the forward/backward pass.")
  var threads: Int = 2

  @Flag(help: "Evaluate on DIR/shd_test.h5 once, after training.")
  var test = false

  @Option(help: ArgumentHelp(
    "Scale each initial weight by (1 + 2^-23 n), n ~ N(0,1) from this seed.",
    discussion: "A change the size of one float32 rounding: runs that differ only by it show how much of an outcome is chance."))
  var initJitter: UInt64?

  @Flag(help: "Log every optimizer step (loss and spikes per hidden layer), not only every epoch.")
  var logBatches = false

  @Option(help: "Model file to write (HDF5; rewritten atomically whenever the kept weights change).")
  var out: String

  func validate() throws {
    if let epochs { guard epochs > 0 else { throw ValidationError("--epochs must be > 0, got \(epochs)") } }
    if let timesteps { guard timesteps > 0 else { throw ValidationError("--timesteps must be > 0, got \(timesteps)") } }
    if let maxTime { guard maxTime > 0, maxTime.isFinite else { throw ValidationError("--max-time must be > 0 seconds, got \(maxTime)") } }
    if let batch { guard batch > 0 else { throw ValidationError("--batch must be > 0, got \(batch)") } }
    guard threads > 0 else { throw ValidationError("--threads must be > 0, got \(threads)") }
    if let lr { guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number, got \(lr)") } }
    do {
      _ = try resolvedRecipe()
      _ = try ClassSelection(parsing: classes)
    } catch let error as ValidationError {
      throw error
    } catch {
      throw ValidationError("\(error)")
    }
    if let problem = DatasetFiles.validate(directory: data, splits: test ? ["train", "test"] : ["train"]) {
      throw ValidationError(problem)
    }
    try OutputPath.checkFile(out, option: "--out")
  }

  /// The recipe with the command-line overrides applied.
  func resolvedRecipe() throws -> TrainingRecipe {
    var r = try RecipeLoader.load(recipe)
    if let timesteps { r.timesteps = timesteps }
    if let maxTime { r.maxTime = maxTime }
    if let epochs { r.epochs = epochs }
    if let lr { r.learningRate = lr }
    if let optimizer { r.optimizer = optimizer.kind }
    if let weightDecay { r.weightDecay = weightDecay }
    if let batch { r.batch = batch }
    if let hidden {
      let sizes = hidden.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw ValidationError("--hidden '\(hidden)': expected positive sizes like 200,100,50")
      }
      r.hidden = sizes.map { $0! }
    }
    if let surrogateScale { r.surrogateScale = surrogateScale }
    if let pool { r.channelPooling = pool }
    if let onset { r.onset = try RecipeLoader.onset(onset) }
    if let augment { r.augmentation = try RecipeLoader.augmentation(augment) }
    if let validationSpeakers { r.validationSpeakers = validationSpeakers }
    if let builtIn = TrainingRecipe.builtIn[recipe], r != builtIn { r.name = "\(recipe)+overrides" }
    do { try r.validate() } catch { throw ValidationError("\(error)") }
    return r
  }

  func run() throws {
    var recipe = try resolvedRecipe()
    let selection = try ClassSelection(parsing: classes)
    let (train, readSeconds) = try DatasetFiles.load(directory: data, split: "train", classes: selection)
    print("read shd_train.h5: \(DatasetFiles.summary(train)) in \(String(format: "%.2f", readSeconds)) s (classes \(selection.summary))")
    guard train.count > 0 else { throw CommandFailure("\(data)/shd_train.h5 has no samples in classes \(selection.summary)") }
    let (fit, validation) = SpeakerSplit.split(train, validationSpeakers: recipe.validationSpeakers, seed: seed &+ 7)
    if let validation {
      let speakers = Set(validation.samples.compactMap(\.speaker)).sorted()
      print("validation: \(validation.count) samples of speakers \(speakers.map(String.init).joined(separator: ",")); fit: \(fit.count) samples")
    } else if recipe.validationSpeakers > 0 {
      let speakers = Set(train.samples.compactMap(\.speaker)).count
      warn("holding out \(recipe.validationSpeakers) validation speakers needs at least \(recipe.validationSpeakers + 1) speakers in the "
        + "training file, which has \(speakers == 0 ? "no speaker ids" : String(speakers)): no validation split, keeping the last epoch")
      recipe.validationSpeakers = 0  // so the recipe summary (log and model file) says what happens
    }
    let trainer = try RecipeTrainer(
      recipe: recipe, sensorChannels: train.channelCount, classes: train.classNames.count, seed: seed, threads: threads)
    if let initJitter { trainer.trainer.network.jitterWeights(seed: initJitter) }
    let config = trainer.trainer.network.config
    let kernels = BLASKernels.name
    print("\(recipe.summary)")
    print("network \(config.sizes.map(String.init).joined(separator: "-")), \(threads) threads, seed \(seed)"
      + (initJitter.map { ", initial weights jittered by seed \($0)" } ?? "") + ", OpenBLAS \(kernels) kernels")

    var line = ProgressLine()
    let started = Date()
    var info: [String: HDF5Attribute] = [
      "data": .string(DatasetFiles.url(directory: data, split: "train").path), "classes": .string(selection.summary),
      "optimizer": .string(recipe.optimizer.rawValue), "learning_rate": .double(Double("\(recipe.learningRate)") ?? Double(recipe.learningRate)),
      "batch": .int(recipe.batch), "seed": .int(Int(truncatingIfNeeded: seed)), "recipe": .string(recipe.name),
      "recipe_summary": .string(recipe.summary), "blas_kernels": .string(kernels),
    ]
    if let initJitter { info["init_jitter"] = .int(Int(truncatingIfNeeded: initJitter)) }
    let saveURL = URL(fileURLWithPath: out)
    var saveError: Error?
    var warnedSilent = false
    try trainer.run(fit: fit, validation: validation, progress: { event in
      guard case .batch(let report) = event else { return }
      let text = "epoch \(report.epoch)/\(recipe.epochs)  batch \(report.batch)/\(report.batchCount)  loss \(String(format: "%.4f", report.loss))"
      if logBatches {
        line.log(text + "  spikes " + report.spikeCounts.map { $0.map { String(Int($0)) } ?? "-" }.joined(separator: "/"))
      } else {
        line.update(text)
      }
    }, onEpoch: { report in
      let s = report.summary
      var text = "epoch \(s.epoch)/\(recipe.epochs)  loss \(String(format: "%.4f", s.meanLoss))  train \(percent(s.trainAccuracy))"
      if let v = report.validationAccuracy { text += "  val \(percent(v))\(report.isBest ? " *" : "")" }
      text += "  \(String(format: "%.1f", s.samplesPerSecond)) samples/s  rates \(s.spikeRatesText)"
      line.log(text)
      if let w = s.silenceWarning, !warnedSilent {
        warnedSilent = true
        warn(w + " (--seed, --surrogate-scale)")
      }
      info["epochs"] = .int(s.epoch)
      info["train_loss"] = .double(Double(s.meanLoss))
      info["train_accuracy"] = .double(s.trainAccuracy)
      if let v = report.validationAccuracy { info["validation_accuracy"] = .double(v) }
      if report.isBest, saveError == nil {
        info["selected_epoch"] = .int(s.epoch)
        do { try ModelFile.save(trainer.trainer.network, classNames: train.classNames, info: info, to: saveURL) } catch { saveError = error }
      }
    })
    if let saveError { throw saveError }
    let seconds = Date().timeIntervalSince(started)
    print("trained in \(String(format: "%.1f", seconds)) s; kept epoch \(trainer.bestEpoch)"
      + (trainer.bestValidationAccuracy.map { " (validation \(percent($0)))" } ?? ""))
    info["train_seconds"] = .double(seconds)
    if test {
      let (testSet, _) = try DatasetFiles.load(directory: data, split: "test", classes: selection)
      let evaluation = try trainer.trainer.evaluate(.binned(trainer.bin(testSet)))
      print("test \(percent(evaluation.accuracy)) on \(testSet.count) samples (loss \(String(format: "%.4f", evaluation.meanLoss)))")
      info["test_accuracy"] = .double(evaluation.accuracy)
    }
    try ModelFile.save(trainer.trainer.network, classNames: train.classNames, info: info, to: saveURL)
    print("wrote \(out)")
  }
}
