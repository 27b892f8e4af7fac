import ArgumentParser
import Foundation
import Logging
import Node

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

    let backend: CentroidBackend
    switch configuration.modelKind {
    case "centroid": backend = CentroidBackend()
    default: throw ValidationError("model.kind \(configuration.modelKind) is not available (known: centroid)")
    }
    let model = try initialModel(configuration, backend: backend, logger: logger)
    let runtime = try NodeRuntime(configuration: configuration, model: model, learner: backend, loader: backend, logger: logger)
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
  /// `checkpoint.dir`, else an empty model that learns every class from labels.
  private func initialModel(_ configuration: NodeConfiguration, backend: CentroidBackend, logger: Logger) throws -> any ClassifierModel {
    if !configuration.modelCheckpoint.isEmpty {
      return try backend.load(try CheckpointFile.read(configuration.modelCheckpoint))
    }
    if !configuration.checkpointDirectory.isEmpty {
      let latest = CheckpointStore(directory: configuration.checkpointDirectory, keep: configuration.checkpointKeep).loadLatest()
      for problem in latest.skipped { logger.warning("skipping \(problem)") }
      if let found = latest.found {
        logger.info("resuming from \(found.path)")
        return try backend.load(found.checkpoint)
      }
    }
    logger.info("no checkpoint: starting with an empty centroid model")
    return CentroidClassifier(layout: .init(channels: configuration.limits.channelCount))
  }
}
