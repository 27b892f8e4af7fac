import Learner
import Storage

/// Everything a node is configured with. Built from `Parameters` (every key is documented in
/// `NodeConfiguration.keys`); unknown keys are an error so typos do not go unnoticed.
public struct NodeConfiguration: Sendable, Equatable {
  /// Topic namespace (`<ns>/spikes/...`).
  public var namespace = "r4ncl"
  /// SUB for `<ns>/spikes/*` (default: bind).
  public var spikeEndpoints = [EndpointSpec(.bind, "tcp://127.0.0.1:5555")]
  /// SUB for `<ns>/labels` (default: bind).
  public var labelEndpoints = [EndpointSpec(.bind, "tcp://127.0.0.1:5556")]
  /// PUB for pred, ckpt, status, replay (default: bind).
  public var outputEndpoints = [EndpointSpec(.bind, "tcp://127.0.0.1:5557")]
  /// REP control socket (default: bind).
  public var controlEndpoints = [EndpointSpec(.bind, "tcp://127.0.0.1:5558")]
  /// Receive high-water mark of the input SUB sockets, messages.
  public var inputHighWaterMark: Int32 = 1000
  /// Send high-water mark of the output PUB socket, messages per subscriber.
  public var outputHighWaterMark: Int32 = 1000
  /// Samples waiting for prediction; beyond it the oldest is dropped (counted).
  public var predictionQueueCapacity = 256
  /// Classify on a separate predictor thread (true) or inline on the I/O thread (false: no
  /// thread hand-off between a sample's arrival and its prediction, the lowest latency).
  public var predictionThread = false
  /// Message validation bounds (channels, payload size, events, class capacity).
  public var limits = ValidationLimits()
  /// Checkpoint file to load at start ("" = latest in `checkpointDirectory`, else a fresh model).
  public var modelCheckpoint = ""
  /// Model backend: "centroid" (baseline) or "snn" (the spiking network).
  public var modelKind = "centroid"
  /// `r4ncl train` model file (HDF5) to start from when no checkpoint exists ("" = none).
  public var modelFile = ""
  /// Readout rows the model file's network knows (nil = every named row).
  public var modelClasses: [Int]?
  /// Continual-learning method preset (snn): naive, spikinglr or replay4ncl (`ContinualSettings.preset`).
  public var learningMethod = "replay4ncl"
  /// Knob overrides of the preset, in order: the node's default `threads=1`, then the
  /// `learning.*`/`replay.*` shorthands, then every `continual.<knob>` parameter (by key).
  public var continualKnobs: [ContinualKnob] = [ContinualKnob(key: "threads", value: "1")]
  /// Latent replay while learning (snn): SHD-format file of old-class samples ("" = the model
  /// file's training data; "none" = no replay data: only methods without replay can learn).
  public var replayData = ""
  /// Directory of versioned checkpoints ("" = none written).
  public var checkpointDirectory = ""
  /// Checkpoint versions kept.
  public var checkpointKeep = 3
  /// Directory of the label spool ("" = in memory only, not crash-safe).
  public var spoolDirectory = ""
  /// Most bytes of spooled label events: beyond, events are refused (`spool_full`) until
  /// learning takes samples out, so a flood of labels cannot fill the memory or the disk.
  public var spoolMaxBytes = 256 << 20
  /// Most spooled samples of one class (`spool_full` beyond), so one class cannot fill the spool.
  public var spoolMaxSamplesPerClass = 4096
  /// Spooled samples of a new class that trigger learning (0 = only on learn-now); never before
  /// every sample its announcement promised (`expected_samples`) is spooled.
  public var learnMinSamples = 20
  /// Status heartbeat period, seconds.
  public var statusPeriod = 1.0
  /// Swarm sharing and CURVE security (`swarm.*`, `security.*`).
  public var swarm = SwarmConfiguration()

  public init() {}

  /// Every parameter key with its meaning.
  public static let keys: [String: String] = [
    "namespace": "topic namespace",
    "endpoints.spikes": "spike SUB endpoints (@bind / >connect)",
    "endpoints.labels": "label SUB endpoints",
    "endpoints.output": "PUB endpoints for pred, ckpt, status, replay",
    "endpoints.control": "REP control endpoints",
    "hwm.input": "input SUB receive high-water mark",
    "hwm.output": "output PUB send high-water mark",
    "queue.prediction": "prediction queue capacity",
    "queue.prediction_thread": "classify on a predictor thread (true) or inline on the I/O thread (false, default)",
    "limits.channels": "input channels",
    "limits.max_message_bytes": "largest accepted payload",
    "limits.max_events": "most events per sample",
    "limits.max_samples_per_event": "most samples per label event",
    "limits.class_capacity": "most classes",
    "limits.max_name_bytes": "longest sensor, teacher or class name (UTF-8 bytes)",
    "model.checkpoint": "checkpoint file to load",
    "model.kind": "model backend: centroid or snn",
    "model.file": "r4ncl train model file (snn)",
    "model.classes": "readout rows the model file knows, e.g. [0, 1] or \"0-18\"",
    "model.frozen_depth": "hidden layers frozen while learning (snn), same as replay.depth",
    "learning.method": "continual method preset (snn): naive, spikinglr, replay4ncl",
    "learning.epochs": "epochs per learning run (snn; continual knob epochs)",
    "learning.rate": "learning rate (snn; continual knob learn_lr)",
    "learning.lr": "learning rate (snn), same as learning.rate",
    "replay.data": "SHD file of old-class samples to replay (\"\" = model's training file, none = no replay)",
    "replay.samples_per_class": "stored old-class samples per class (continual knob replay_per_class)",
    "replay.depth": "injection depth d of replayed latents (continual knob depth)",
    "replay.codec": "replay codec: raw, bitpack, events, auto, orpool:w (continual knob codec)",
    "continual.<knob>": "any continual-learning knob (r4ncl learn --set), e.g. continual.batch_size",
    "checkpoint.dir": "checkpoint directory",
    "checkpoint.keep": "versions kept",
    "spool.dir": "label spool directory",
    "spool.max_bytes": "most bytes of spooled label events (spool_full beyond)",
    "spool.max_samples_per_class": "most spooled samples of one class (spool_full beyond)",
    "learning.min_samples": "spooled samples that start learning a new class, once all its announcement promised arrived (0 = only learn-now)",
    "status.period_s": "status heartbeat period",
  ].merging(SwarmConfiguration.keys) { ours, _ in ours }

  /// The configuration the parameters describe; throws on unknown keys, wrong types or ranges.
  public init(parameters: Parameters) throws {
    let p = parameters.values
    for key in p.keys where NodeConfiguration.keys[key] == nil {
      // Keys of other subsystems (e.g. the engine's) live under "engine." and are passed through.
      if key.hasPrefix("continual.") {
        let knob = String(key.dropFirst("continual.".count))
        guard ContinualSettings.knobNames.contains(knob) else {
          throw ParameterError.invalidValue(key: key, reason: "'\(knob)' is not a continual knob (known: \(ContinualSettings.knobNames.joined(separator: ", ")))")
        }
        continue
      }
      if !key.hasPrefix("engine.") { throw ParameterError.unknownParameter(key) }
    }
    func string(_ key: String, _ value: inout String) throws {
      guard let raw = p[key] else { return }
      guard case .string(let v) = raw else { throw ParameterError.wrongType(key: key, expected: "a string", found: "\(raw)") }
      value = v
    }
    func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
      guard let raw = p[key] else { return nil }
      guard case .int(let v) = raw else { throw ParameterError.wrongType(key: key, expected: "an integer", found: "\(raw)") }
      guard range.contains(v) else { throw ParameterError.invalidValue(key: key, reason: "\(v) is outside \(range)") }
      return v
    }
    func endpoints(_ key: String, _ value: inout [EndpointSpec]) throws {
      guard let raw = p[key] else { return }
      let texts: [String]
      switch raw {
      case .string(let v): texts = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      case .strings(let v): texts = v
      default: throw ParameterError.wrongType(key: key, expected: "an endpoint or a list of endpoints", found: "\(raw)")
      }
      guard !texts.isEmpty, texts.allSatisfy({ $0.contains("://") }) else {
        throw ParameterError.invalidValue(key: key, reason: "endpoints look like @tcp://127.0.0.1:5555 or >ipc:///tmp/x")
      }
      value = texts.map { EndpointSpec(parsing: $0, defaultMode: .bind) }
    }
    try string("namespace", &namespace)
    try endpoints("endpoints.spikes", &spikeEndpoints)
    try endpoints("endpoints.labels", &labelEndpoints)
    try endpoints("endpoints.output", &outputEndpoints)
    try endpoints("endpoints.control", &controlEndpoints)
    if let v = try int("hwm.input", 1...10_000_000) { inputHighWaterMark = Int32(v) }
    if let v = try int("hwm.output", 1...10_000_000) { outputHighWaterMark = Int32(v) }
    if let v = try int("queue.prediction", 1...1_000_000) { predictionQueueCapacity = v }
    if let raw = p["queue.prediction_thread"] {
      guard case .bool(let v) = raw else { throw ParameterError.wrongType(key: "queue.prediction_thread", expected: "true or false", found: "\(raw)") }
      predictionThread = v
    }
    if let v = try int("limits.channels", 1...65_536) { limits.channelCount = v }
    if let v = try int("limits.max_message_bytes", 64...(1 << 30)) { limits.maxPayloadBytes = v }
    if let v = try int("limits.max_events", 1...100_000_000) { limits.maxEvents = v }
    if let v = try int("limits.max_samples_per_event", 1...100_000) { limits.maxSamplesPerEvent = v }
    if let v = try int("limits.class_capacity", 1...10_000) { limits.classCapacity = v }
    if let v = try int("limits.max_name_bytes", 1...65_536) { limits.maxNameBytes = v }
    try string("model.checkpoint", &modelCheckpoint)
    try string("model.kind", &modelKind)
    guard ["centroid", "snn"].contains(modelKind) else {
      throw ParameterError.invalidValue(key: "model.kind", reason: "\(modelKind) is not centroid or snn")
    }
    try string("model.file", &modelFile)
    if let raw = p["model.classes"] { modelClasses = try NodeConfiguration.classList(raw) }
    try string("learning.method", &learningMethod)
    guard (try? ContinualSettings.preset(learningMethod)) != nil, learningMethod.lowercased() != "joint" else {
      throw ParameterError.invalidValue(key: "learning.method", reason: "\(learningMethod) is not naive, spikinglr or replay4ncl")
    }
    func knob(_ key: String, _ name: String) { if let raw = p[key] { continualKnobs.append(ContinualKnob(key: name, value: raw.knobText)) } }
    knob("model.frozen_depth", "depth")
    knob("learning.epochs", "epochs")
    knob(p["learning.lr"] != nil ? "learning.lr" : "learning.rate", "learn_lr")
    knob("replay.samples_per_class", "replay_per_class")
    knob("replay.depth", "depth")
    knob("replay.codec", "codec")
    for key in p.keys.sorted() where key.hasPrefix("continual.") { knob(key, String(key.dropFirst("continual.".count))) }
    _ = try continualSettings()
    try string("replay.data", &replayData)
    try string("checkpoint.dir", &checkpointDirectory)
    if let v = try int("checkpoint.keep", 1...1000) { checkpointKeep = v }
    try string("spool.dir", &spoolDirectory)
    if let v = try int("spool.max_bytes", (1 << 16)...(1 << 40)) { spoolMaxBytes = v }
    if let v = try int("spool.max_samples_per_class", 1...1_000_000) { spoolMaxSamplesPerClass = v }
    if let v = try int("learning.min_samples", 0...1_000_000) { learnMinSamples = v }
    guard learnMinSamples <= spoolMaxSamplesPerClass else {
      throw ParameterError.invalidValue(
        key: "learning.min_samples",
        reason: "\(learnMinSamples) is more than spool.max_samples_per_class = \(spoolMaxSamplesPerClass): a class could never be learned on its own")
    }
    if let raw = p["status.period_s"] {
      switch raw {
      case .double(let v): statusPeriod = v
      case .int(let v): statusPeriod = Double(v)
      default: throw ParameterError.wrongType(key: "status.period_s", expected: "a number", found: "\(raw)")
      }
      guard statusPeriod > 0, statusPeriod <= Clock.longestWait else {
        throw ParameterError.invalidValue(key: "status.period_s", reason: "must be seconds in (0, \(Int(Clock.longestWait))]")
      }
    }
    swarm = try SwarmConfiguration(parameters: p, maxMessageBytes: limits.maxPayloadBytes)
  }

  /// The learning method's settings: the preset with `continualKnobs` applied (not yet fitted to
  /// a network). Throws `ParameterError.invalidValue` naming the bad knob.
  public func continualSettings() throws -> ContinualSettings {
    do {
      var settings = try ContinualSettings.preset(learningMethod)
      for knob in continualKnobs { try settings.set(knob.key, knob.value) }
      try settings.validateCodec()
      return settings
    } catch let error as ContinualError {
      throw ParameterError.invalidValue(key: "continual", reason: error.description)
    }
  }

  /// Parses `[0, 1, 5]`, "0,1,5", "0-18" or "all" (nil: every named readout row) into class ids.
  static func classList(_ raw: ParameterValue) throws -> [Int]? {
    let pieces: [String]
    switch raw {
    case .strings(let v): pieces = v
    case .string(let v): pieces = [v]
    case .int(let v): pieces = ["\(v)"]
    default: throw ParameterError.wrongType(key: "model.classes", expected: "a list of class ids", found: "\(raw)")
    }
    do {
      return try ClassIDList(pieces: pieces).ids
    } catch let error as ClassIDList.ParseError {
      throw ParameterError.invalidValue(key: "model.classes", reason: error.description)
    }
  }
}

/// One continual-learning knob override (`ContinualSettings.set(_:_:)`).
public struct ContinualKnob: Sendable, Equatable {
  public var key: String
  public var value: String

  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }
}

extension ParameterValue {
  /// The value as a knob's text form (lists as a,b,c).
  var knobText: String {
    switch self {
    case .strings(let v): return v.joined(separator: ",")
    default: return description
    }
  }
}
