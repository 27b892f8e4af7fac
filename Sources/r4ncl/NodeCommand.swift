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

  @Option(name: .long, help: "Least level logged: trace, debug, info, notice, warning, error, critical (default: $R4NCL_LOG_LEVEL or info).")
  var logLevel: String?

  func validate() throws {
    if let level = logLevel ?? ProcessInfo.processInfo.environment["R4NCL_LOG_LEVEL"], Logger.Level(rawValue: level) == nil {
      throw ValidationError("log level '\(level)' is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
    }
  }

  func run() throws {
    let level = (logLevel ?? ProcessInfo.processInfo.environment["R4NCL_LOG_LEVEL"]).flatMap(Logger.Level.init(rawValue:)) ?? .info
    LoggingSystem.bootstrap {
      var handler = StreamLogHandler.standardError(label: $0)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "r4ncl.node")
    var parameters = try params.map { try Parameters(file: $0, nodeName: name) } ?? Parameters()
    if let namespace = ProcessInfo.processInfo.environment["R4NCL_NAMESPACE"], parameters.values["namespace"] == nil {
      parameters.set("namespace", .string(namespace))
    }
    try parameters.override(overrides)
    let configuration = try NodeConfiguration(parameters: parameters)

    let spiking = configuration.modelKind == "snn"
    let learner: any IncrementalLearner = spiking ? ContinualBackend() : CentroidBackend()
    let loader: any ModelLoader = spiking ? SpikingBackend() : CentroidBackend()
    let (model, source) = try initialModel(configuration, loader: loader, logger: logger)
    guard model.channelCount == configuration.limits.channelCount else {
      throw CommandFailure("\(source) has \(model.channelCount) input channels, limits.channels is \(configuration.limits.channelCount)")
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

  /// The model to serve: `model.checkpoint`, else the newest valid checkpoint in
  /// `checkpoint.dir`, else `model.file` (snn) prepared for continual learning, else an empty
  /// centroid model that learns every class from labels; and the file it came from.
  private func initialModel(_ configuration: NodeConfiguration, loader: any ModelLoader, logger: Logger) throws
    -> (model: any ClassifierModel, source: String)
  {
    if !configuration.modelCheckpoint.isEmpty {
      return (try NodeCheckpointFile.read(configuration.modelCheckpoint, loader: loader), configuration.modelCheckpoint)
    }
    if !configuration.checkpointDirectory.isEmpty {
      let latest = CheckpointStore(directory: configuration.checkpointDirectory, keep: configuration.checkpointKeep).loadLatest(loader: loader)
      for problem in latest.skipped { logger.error("skipping a corrupted checkpoint, falling back to the previous one: \(problem)") }
      if let found = latest.found {
        logger.info("resuming from \(found.path): model v\(found.model.version), \(found.model.classes.count) classes")
        // The learning-run knobs of this start's parameters win over those saved in the checkpoint.
        if let spiking = found.model as? SpikingClassifier {
          return (try spiking.applyingRuntimeKnobs(configuration.continualKnobs.map { ($0.key, $0.value) }), found.path)
        }
        return (found.model, found.path)
      }
    }
    if configuration.modelKind == "snn" {
      guard !configuration.modelFile.isEmpty else {
        throw CommandFailure("model.kind snn needs model.file (an r4ncl train model) or a checkpoint")
      }
      return (try preparedModel(configuration, logger: logger), configuration.modelFile)
    }
    logger.info("no checkpoint: starting with an empty centroid model")
    return (CentroidClassifier(layout: .init(channels: configuration.limits.channelCount)), "the empty centroid model")
  }

  /// The model file's network prepared for continual learning (`ContinualSession`): threshold
  /// targets and the replay memory from `replay.data` (default: the training file recorded in
  /// the model file; "none": no replay data).
  private func preparedModel(_ configuration: NodeConfiguration, logger: Logger) throws -> SpikingClassifier {
    let settings = try configuration.continualSettings()
    var path = configuration.replayData
    if path.isEmpty, case .string(let data)? = try ModelFile.loadModel(URL(fileURLWithPath: configuration.modelFile)).info["data"] {
      path = data
    }
    guard !path.isEmpty else {
      throw CommandFailure("learning needs replay.data (an SHD-format file of old-class samples), or replay.data=none")
    }
    for knob in configuration.continualKnobs where ContinualSession.knobsTheNetworkFixes.contains(knob.key) {
      logger.warning("continual.\(knob.key)=\(knob.value) has no effect: the model file fixes the network's sizes and timesteps")
    }
    let started = Date()
    let replay = path == "none" ? nil : try SHDFile.read(URL(fileURLWithPath: path))
    logger.info("loading model file \(configuration.modelFile), preparing \(settings.method) learning")
    let model = try SpikingBackend.prepared(
      modelFile: configuration.modelFile, classes: configuration.modelClasses, settings: settings, replayData: replay)
    let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
    if let memory = model.memory, let store = memory.store {
      let perSample = String(format: "%.0f", store.bytesPerSample)
      logger.info(
        "replay memory: \(store.sampleCount) latents of \(store.classes.count) classes from \(path) at d = \(store.depth), \(store.codec.name): \(store.totalBytes) bytes (\(perSample) per sample), prepared in \(seconds) s")
    }
    return model
  }
}
