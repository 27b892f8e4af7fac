import ArgumentParser
import Foundation
import Logging
import Learner
import Node
import Storage

/// `r4ncl node`: runs the ZeroMQ node until SIGINT/SIGTERM or a control Shutdown, then
/// drains, writes a final checkpoint and exits 0.
struct NodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "node",
    abstract: "Run the node: classify spike streams, learn announced classes live.",
    discussion: """
      Parameters come from a ROS 2-shaped YAML file (`/**: ros__parameters:` or \
      `<name>: ros__parameters:`) and `--param key=value` overrides. Keys: \
      \(NodeConfiguration.keys.keys.sorted().joined(separator: ", ")).
      """)

  @Option(name: .long, help: "ROS 2-shaped parameters YAML file.")
  var params: String?

  @Option(name: .long, help: "Node name selecting the parameters section (besides /**).")
  var name = "r4ncl_node"

  @Option(name: .customLong("param"), help: "Override a parameter: key=value (repeatable).")
  var overrides: [String] = []

  func run() throws {
    LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    let logger = Logger(label: "r4ncl.node")
    var parameters = try params.map { try Parameters(file: $0, nodeName: name) } ?? Parameters()
    if let namespace = ProcessInfo.processInfo.environment["R4NCL_NAMESPACE"], parameters.values["namespace"] == nil {
      parameters.set("namespace", .string(namespace))
    }
    try parameters.override(overrides)
    let configuration = try NodeConfiguration(parameters: parameters)

    var learner: any IncrementalLearner
    let loader: any ModelLoader
    switch configuration.modelKind {
    case "snn":
      let backend = SpikingBackend(epochs: configuration.learningEpochs, learningRate: Float(configuration.learningRate))
      (learner, loader) = (backend, backend)
    default:
      (learner, loader) = (CentroidBackend(), CentroidBackend())
    }
    let model = try initialModel(configuration, loader: loader, logger: logger)
    if let spiking = model as? SpikingClassifier, configuration.replayData != "none" {
      learner = try replayLearner(configuration, model: spiking, logger: logger)
    }
    let runtime = try NodeRuntime(configuration: configuration, model: model, learner: learner, loader: loader, logger: logger)
    try runtime.start()
    let trap = SignalTrap { signal in
      logger.info("signal \(signal): draining")
      runtime.requestShutdown()
    }
    runtime.waitUntilStopped()
    withExtendedLifetime(trap) {}
    let status = runtime.lastPublishedStatus
    logger.info("stopped: received \(status.received), predicted \(status.predicted), dropped \(status.dropped), rejected \(status.rejected)")
  }

  /// Latent replay for a spiking model: the replay buffer of the model's old classes, taken
  /// from `replay.data` (default: the training file recorded in `model.file`).
  private func replayLearner(_ configuration: NodeConfiguration, model: SpikingClassifier, logger: Logger) throws -> ReplayLearner {
    var path = configuration.replayData
    if path.isEmpty, !configuration.modelFile.isEmpty,
      case .string(let data)? = try ModelFile.loadModel(URL(fileURLWithPath: configuration.modelFile)).info["data"]
    {
      path = data
    }
    guard !path.isEmpty else {
      throw ValidationError("replay needs replay.data (an SHD-format file of old-class samples), or replay.data=none")
    }
    let started = Date()
    let data = try SHDFile.read(URL(fileURLWithPath: path), channelCount: model.channelCount)
    let buffer = try ReplayLearner.prepareBuffer(
      model: model, samples: data.samples, samplesPerClass: configuration.replaySamplesPerClass,
      codec: try replayCodec(named: configuration.replayCodec))
    let perSample = String(format: "%.0f", buffer.bytesPerSample)
    let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
    logger.info(
      "replay buffer: \(buffer.sampleCount) latents of \(buffer.classes.count) classes from \(path) at d = \(buffer.depth), \(buffer.codec.name): \(buffer.totalBytes) bytes (\(perSample) per sample), built in \(seconds) s")
    return ReplayLearner(
      buffer: buffer, samplesPerClass: configuration.replaySamplesPerClass, epochs: configuration.learningEpochs,
      learningRate: Float(configuration.learningRate), logger: logger)
  }

  /// The model to serve: `model.checkpoint`, else the newest valid checkpoint in
  /// `checkpoint.dir`, else `model.file` (snn), else an empty centroid model that learns every
  /// class from labels.
  private func initialModel(_ configuration: NodeConfiguration, loader: any ModelLoader, logger: Logger) throws -> any ClassifierModel {
    if !configuration.modelCheckpoint.isEmpty {
      return try loader.load(try CheckpointFile.read(configuration.modelCheckpoint))
    }
    if !configuration.checkpointDirectory.isEmpty {
      let latest = CheckpointStore(directory: configuration.checkpointDirectory, keep: configuration.checkpointKeep).loadLatest()
      for problem in latest.skipped { logger.warning("skipping \(problem)") }
      if let found = latest.found {
        logger.info("resuming from \(found.path)")
        return try loader.load(found.checkpoint)
      }
    }
    if configuration.modelKind == "snn" {
      guard !configuration.modelFile.isEmpty else {
        throw ValidationError("model.kind snn needs model.file (an r4ncl train model) or a checkpoint")
      }
      logger.info("loading model file \(configuration.modelFile)")
      return try SpikingBackend.load(
        modelFile: configuration.modelFile, classes: configuration.modelClasses,
        frozenDepth: configuration.frozenDepth ?? (configuration.replayData == "none" ? nil : configuration.replayDepth))
    }
    logger.info("no checkpoint: starting with an empty centroid model")
    return CentroidClassifier(layout: .init(channels: configuration.limits.channelCount))
  }
}
