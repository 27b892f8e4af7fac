import ArgumentParser
import Foundation
import Learner
import Logging
import Node
import Proto
import Storage

/// `r4ncl bench-node`: a node in this process (its own threads and sockets, over tcp on
/// 127.0.0.1 or ipc) and a sensor + listener on the same clock. Measures sustained
/// predictions/s and publish-to-prediction latency idle (paced and flooded) and while the node
/// learns a new class, and prints a table. A benchmark, never a test.
struct NodeBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-node",
    abstract: "Benchmark the node: predictions/s and publish-to-prediction latency, idle and while learning.")

  @Option(help: "Folder with shd_train.h5 (replay data, the new class) and shd_test.h5 (the stream).")
  var data: String

  @Option(help: "r4ncl train model file (default: an untrained network of --hidden at --timesteps; the weights change only how much it spikes).")
  var model: String?

  @Option(help: "Timesteps T of the default network.")
  var timesteps = 40

  @Option(help: "Hidden sizes of the default network.")
  var hidden = "200,100,50"

  @Option(name: .customLong("new-class"), help: "Class taught during the learning phase (the others are known).")
  var newClass = 19

  @Option(help: "Samples per phase.")
  var samples = 1000

  @Option(help: "Samples per second of the paced phases.")
  var rate: Double = 200

  @Option(help: "Transport: tcp (127.0.0.1) or ipc.")
  var transport = "tcp"

  @Flag(name: .customLong("prediction-thread"), help: "Classify on the node's predictor thread instead of inline on its I/O thread.")
  var predictionThread = false

  @Option(name: .customLong("set"), help: "Continual knob of the learning phase, key=value (repeatable; default replay4ncl, 1 thread).")
  var sets: [String] = []

  func validate() throws {
    guard (1...1_000_000).contains(samples) else { throw ValidationError("--samples must be in 1...1000000") }
    guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be a positive number") }
    guard SHDFile.labelRange.contains(newClass) else { throw ValidationError("--new-class must be in 0...65535 (SHD labels are 16-bit)") }
    guard ["tcp", "ipc"].contains(transport) else { throw ValidationError("--transport must be tcp or ipc, got \(transport)") }
    if let problem = DatasetFiles.validate(directory: data, splits: ["train", "test"]) { throw ValidationError(problem) }
    for item in sets where !item.contains("=") { throw ValidationError("--set '\(item)' must be key=value") }
  }

  func run() throws {
    var logger = Logger(label: "r4ncl.bench-node")
    logger.logLevel = .warning
    let train = try SHDFile.read(DatasetFiles.url(directory: data, split: "train"))
    let test = try SHDFile.read(DatasetFiles.url(directory: data, split: "test"))
    let playlist = test.samples.filter { $0.label != newClass }
    guard !playlist.isEmpty else { throw CommandFailure("\(data): no test samples outside class \(newClass)") }

    var settings = try ContinualSettings.preset("replay4ncl")
    try settings.set("threads", "1")
    for item in sets {
      guard let eq = item.firstIndex(of: "=") else { continue }  // validate() refuses it
      try settings.set(String(item[..<eq]), String(item[item.index(after: eq)...]))
    }
    let network = try model.map { try ModelFile.loadModel(URL(fileURLWithPath: $0)).network } ?? Network(config: NetworkConfig(
      sizes: [train.channelCount] + hidden.split(separator: ",").compactMap { Int($0) } + [max(train.classNames.count, newClass + 1)],
      timesteps: timesteps, seed: 0))
    let known = (0..<network.config.classCount).filter { $0 != newClass }
    let prepareStarted = Date()
    let session = try ContinualSession.prepare(pretrained: network, classes: known, settings: settings, replayData: train)
    var classes = ClassMap()
    for id in known { classes.set(id, name: id < train.classNames.count ? train.classNames[id] : "class\(id)") }
    let served = SpikingClassifier(network: session.network, classes: classes, version: 1, memory: ContinualMemory(session))
    print(String(format: "network %@, T = %d; %@ learning prepared in %.1f s (replay %d latents, %d bytes)",
                 network.config.sizes.map(String.init).joined(separator: "-"), network.config.timesteps, settings.method,
                 Date().timeIntervalSince(prepareStarted), session.store?.sampleCount ?? 0, session.store?.totalBytes ?? 0))

    try printPathCosts(served, playlist, channelCount: train.channelCount)

    var configuration = NodeConfiguration()
    configuration.namespace = "bench"
    let ipcDirectory = NSTemporaryDirectory() + "r4b-\(getpid())"
    if transport == "ipc" { try FileManager.default.createDirectory(atPath: ipcDirectory, withIntermediateDirectories: true) }
    defer { if transport == "ipc" { try? FileManager.default.removeItem(atPath: ipcDirectory) } }
    func endpoint(_ name: String) -> [EndpointSpec] {
      [EndpointSpec(.bind, transport == "ipc" ? "ipc://\(ipcDirectory)/\(name)" : "tcp://127.0.0.1:*")]
    }
    configuration.spikeEndpoints = endpoint("spikes")
    configuration.labelEndpoints = endpoint("labels")
    configuration.outputEndpoints = endpoint("output")
    configuration.controlEndpoints = endpoint("control")
    configuration.learnMinSamples = 0
    configuration.limits.channelCount = train.channelCount
    configuration.limits.classCapacity = network.config.classCount
    configuration.predictionQueueCapacity = max(256, samples)
    configuration.predictionThread = predictionThread
    let node = try NodeRuntime(configuration: configuration, model: served, learner: ContinualBackend(), loader: SpikingBackend(), logger: logger)
    try node.start()
    defer {
      node.requestShutdown()
      _ = node.waitUntilStopped(timeout: 30)
    }
    let topics = node.topics
    let spikes = try ToolPublisher(endpoints: node.endpoints["spikes"]!)
    let labels = try ToolPublisher(endpoints: node.endpoints["labels"]!)
    let meter = try PredictionMeter(endpoint: node.endpoints["output"]![0], topics: topics, sensor: "bench", timeout: 10)
    let control = try ControlClient(endpoint: node.endpoints["control"]![0])
    _ = try spikes.waitForSubscriber(of: topics.spikes(sensor: "bench"), timeout: 10)
    _ = try labels.waitForSubscriber(of: topics.labels, timeout: 10)

    var sequence: UInt64 = 0
    /// Sends `count` samples at `rate` per second (0 = back to back) while `keepGoing` holds;
    /// returns how many were sent. The meter takes predictions while the sender waits.
    func stream(_ sensor: String, count: Int, rate: Double, while keepGoing: () throws -> Bool = { true }) throws -> Int {
      meter.sensor = sensor
      var next = Clock.monotonicSeconds()
      var sent = 0
      while sent < count, try keepGoing() {
        while case let wait = next - Clock.monotonicSeconds(), wait > 0 { try meter.poll(milliseconds: max(1, Int(Clock.milliseconds(wait)))) }
        sequence += 1
        var message = R4ncl_V1_SpikeSample(
          playlist[Int(sequence) % playlist.count], sensor: sensor, sequence: sequence, channelCount: train.channelCount)
        message.sentTimeNs = Clock.nowNanoseconds()
        _ = try spikes.send(topic: topics.spikes(sensor: sensor), payload: try message.serializedBytes())
        sent += 1
        if rate > 0 { next += 1 / rate } else { try meter.drain() }
      }
      try meter.wait(for: sent, timeout: 10)
      return sent
    }

    // Warm-up (first-touch allocations, the subscription), not measured.
    _ = try stream("warmup", count: 50, rate: rate)
    var rows: [(String, Int, (count: Int, perSecond: Double, p50: Double, p99: Double, max: Double, nodeP50: Double, nodeP99: Double))] = []
    func phase(_ name: String, _ body: () throws -> Int) throws {
      meter.reset()
      let sent = try body()
      rows.append((name, sent, meter.statistics))
    }
    try phase(String(format: "idle, %.0f/s", rate)) { try stream("idle", count: samples, rate: rate) }
    try phase("idle, flood") { try stream("flood", count: samples, rate: 0) }

    // Learning: teach the new class (all its training samples), then stream while it learns.
    let teach = train.filtered(classes: [newClass]).samples
    var event = R4ncl_V1_LabelEvent()
    event.announce.classID = Int32(newClass)
    event.announce.name = newClass < train.classNames.count ? train.classNames[newClass] : "class\(newClass)"
    _ = try labels.send(topic: topics.labels, payload: try event.serializedBytes())
    for start in stride(from: 0, to: teach.count, by: 16) {
      var batch = R4ncl_V1_LabelEvent()
      batch.samples.classID = Int32(newClass)
      batch.samples.samples = teach[start..<min(start + 16, teach.count)].map {
        R4ncl_V1_SpikeSample($0, sensor: "teacher", sequence: 0, channelCount: train.channelCount)
      }
      _ = try labels.send(topic: topics.labels, payload: try batch.serializedBytes())
    }
    var now = R4ncl_V1_LabelEvent()
    now.learnNow.classIds = [Int32(newClass)]
    _ = try labels.send(topic: topics.labels, payload: try now.serializedBytes())
    let deadline = Date().addingTimeInterval(30)
    while try !control.status().learning.active {
      guard Date() < deadline else { throw CommandFailure("the node did not start learning within 30 s") }
      usleep(1000)
    }
    let learnStarted = Date()
    var checks = 0
    try phase(String(format: "learning, %.0f/s", rate)) {
      try stream("learning", count: samples, rate: rate) {
        // Ask the control socket every 20th sample (each request is a round trip).
        checks += 1
        if checks % 20 != 0 { return true }
        return try control.status().learning.active
      }
    }
    let status = try control.status()
    print("learning of class \(newClass) from \(teach.count) samples: \(status.learning.active ? "still running" : "done") after \(String(format: "%.1f", Date().timeIntervalSince(learnStarted))) s (model v\(status.modelVersion))")

    var load = [Double](repeating: 0, count: 3)
    _ = getloadavg(&load, 3)
    print("\nnode latency, publish -> prediction received (\(transport), T = \(network.config.timesteps), \(predictionThread ? "predictor thread" : "inline prediction"), one process, \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(String(format: "%.1f", load[0])))")
    print("phase                 sent   predicted   pred/s    p50 ms   p99 ms   max ms | in node: p50 ms  p99 ms")
    for (name, sent, s) in rows {
      print(String(format: "%@ %6d %11d %8.0f %9.3f %8.3f %8.3f |         %7.3f %7.3f", name.padding(toLength: 20, withPad: " ", startingAt: 0),
                   sent, s.count, s.perSecond, s.p50, s.p99, s.max, s.nodeP50, s.nodeP99))
    }
    print("(in node: sample received by the I/O thread -> prediction handed to ZeroMQ; the rest is transport and scheduling)")
    print("node counters: received \(status.received), predicted \(status.predicted), dropped \(status.dropped), rejected \(status.rejected)")
  }
}
