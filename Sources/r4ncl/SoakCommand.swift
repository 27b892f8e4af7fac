import ArgumentParser
import Foundation
import Learner
import Logging
import Node
import Proto

/// `r4ncl soak`: a long run of one node (in this process, over tcp loopback) to show that
/// nothing accumulates: N spike messages (a share of them invalid), with a new class taught by
/// label events every `--learn-every` messages, learned in the background while the stream
/// goes on. Reports resident memory (VmRSS) at the start, after warm-up and at the end,
/// predictions, drops and rejections by reason, and checks the growth after warm-up against
/// `--rss-bound-mb` (exit status 1 when exceeded or when a message is unaccounted for).
/// A benchmark, not a CI test: 1,000,000 messages take minutes.
struct SoakCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "soak",
    abstract: "Run a node for N messages with learning events in between; report RSS, drops and rejections.")

  @Option(name: .long, help: "Spike messages to send.")
  var messages = 1_000_000

  @Option(name: .long, help: "Teach a new class (announcement + labeled samples) every N messages.")
  var learnEvery = 100_000

  @Option(name: .long, help: "Every N-th message is invalid (rotating reasons); 0 = none.")
  var badEvery = 20

  @Option(name: .long, help: "Messages counted as warm-up before the reference RSS is taken.")
  var warmup = 20_000

  @Option(name: .long, help: "Allowed RSS growth after warm-up, MB.")
  var rssBoundMb = 64.0

  @Option(name: .long, help: "Most messages in flight (sent but not yet counted by the node).")
  var window = 500

  @Option(name: .long, help: "Directory for the node's spool and checkpoints (default: a temporary one, removed).")
  var directory: String?

  func validate() throws {
    guard messages > 0, learnEvery > 0, window > 0, warmup >= 0, badEvery >= 0 else {
      throw ValidationError("--messages, --learn-every and --window must be positive")
    }
    guard window <= 1_000_000 else { throw ValidationError("--window must be <= 1000000 messages") }
    guard rssBoundMb > 0, rssBoundMb.isFinite else { throw ValidationError("--rss-bound-mb must be a positive number") }
  }

  func run() throws {
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = .warning
      return handler
    }
    let temporary = directory == nil
    let root = directory ?? NSTemporaryDirectory() + "r4ncl-soak-\(getpid())"
    defer { if temporary { try? FileManager.default.removeItem(atPath: root) } }
    var configuration = NodeConfiguration.loopback(namespace: "soak", directory: root)
    configuration.learnMinSamples = 8
    configuration.statusPeriod = 0.5
    configuration.inputHighWaterMark = Int32(window * 4)
    configuration.outputHighWaterMark = Int32(window * 4)
    configuration.predictionQueueCapacity = window * 2
    let node = try NodeRuntime(
      configuration: configuration, model: CentroidClassifier(layout: .init(channels: 700)), learner: CentroidBackend(),
      loader: CentroidBackend())
    try node.start()
    defer {
      node.requestShutdown()
      _ = node.waitUntilStopped(timeout: 30)
    }
    let peer = try SoakPeer(endpoints: node.endpoints, topics: node.topics, window: window)
    let rssStart = SoakPeer.residentKilobytes()
    print("r4ncl soak: \(messages) messages, a new class every \(learnEvery), every \(badEvery)th invalid; node in-process over tcp loopback")

    // Classes 0 and 1 first, so predictions have something to choose from.
    try peer.handshakeLabels(node)
    for k in 0..<2 { try peer.teach(class: k, samples: 8) }
    try peer.wait(timeout: 30) { node.lastPublishedStatus.classes.count == 2 }
    try peer.handshakeSpikes(node)
    let base = node.currentCounters
    let started = Date()
    var rssWarm = rssStart
    var rssMax = rssStart
    var sent = 0, bad = 0, taught = 2
    let reasons = ["time_negative", "unit_out_of_range", "not_protobuf", "empty_sample"]
    while sent < messages {
      if sent > 0 && sent % learnEvery == 0 && taught < configuration.limits.classCapacity {
        try peer.teach(class: taught, samples: 8)
        taught += 1
      }
      let isBad = badEvery > 0 && sent % badEvery == badEvery - 1
      try peer.sendSample(sequence: UInt64(sent + 1), classCount: min(taught, 10), bad: isBad ? reasons[(sent / badEvery) % reasons.count] : nil)
      if isBad { bad += 1 }
      sent += 1
      if sent % 64 == 0 {
        try peer.drain()
        // In flight = sent and not yet answered (predicted, dropped or rejected).
        func done() -> Int {
          let c = node.currentCounters
          return Int(c.predicted + c.droppedTotal + c.rejectedSpikes - base.predicted - base.droppedTotal - base.rejectedSpikes)
        }
        while sent - done() > window {
          try peer.drain(waitMilliseconds: 1)
        }
      }
      if sent == warmup { rssWarm = SoakPeer.residentKilobytes() }
      if sent % max(1, messages / 10) == 0 {
        let rss = SoakPeer.residentKilobytes()
        rssMax = max(rssMax, rss)
        let c = node.currentCounters
        print(String(
          format: "%9d sent  %7.0f msg/s  RSS %6d kB  predicted %9llu  dropped %6llu  rejected %8llu  classes %d  model v%llu",
          sent, Double(sent) / Date().timeIntervalSince(started), rss, c.predicted - base.predicted,
          c.droppedTotal - base.droppedTotal, c.rejectedTotal - base.rejectedTotal,
          node.lastPublishedStatus.classes.count, node.lastPublishedStatus.modelVersion))
      }
    }
    // Quiescence: everything received and answered, learning done.
    try peer.wait(timeout: 60) {
      let c = node.currentCounters
      return c.received - base.received == UInt64(sent) && c.predicted + c.droppedTotal + c.rejectedSpikes == c.received
        && !node.lastPublishedStatus.learning.active
    }
    try peer.drain(waitMilliseconds: 100)
    let seconds = Date().timeIntervalSince(started)
    let rssEnd = SoakPeer.residentKilobytes()
    rssMax = max(rssMax, rssEnd)
    let c = node.currentCounters
    let status = node.lastPublishedStatus
    let predicted = c.predicted - base.predicted
    let dropped = c.droppedTotal - base.droppedTotal
    let rejected = c.rejectedSpikes - base.rejectedSpikes
    var rejections: [String: UInt64] = [:]
    for (reason, count) in c.rejected { rejections[reason] = count - (base.rejected[reason] ?? 0) }
    let growth = Double(rssEnd - rssWarm) / 1024
    print(String(format: "done: %d messages in %.1f s (%.0f msg/s)", sent, seconds, Double(sent) / seconds))
    print("predicted \(predicted) (received by the peer \(peer.predictionsReceived)), dropped \(dropped) \(c.dropped), rejected \(rejected) of \(bad) invalid sent")
    print("rejections by reason: \(rejections.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    print("classes \(status.classes.count) (taught \(taught)), model v\(status.modelVersion), learning runs \(status.learning.completedRuns), spooled samples left \(status.queues.spooledSamples)")
    print(String(
      format: "RSS: start %d kB, after %d warm-up messages %d kB, end %d kB, max %d kB; growth after warm-up %.1f MB (bound %.0f MB)",
      rssStart, warmup, rssWarm, rssEnd, rssMax, growth, rssBoundMb))
    let accounted = predicted + dropped + rejected == UInt64(sent) && rejected == UInt64(bad)
    if !accounted { print("FAIL: messages unaccounted for") }
    if growth > rssBoundMb { print("FAIL: RSS grew beyond the bound") }
    guard accounted && growth <= rssBoundMb else { throw ExitCode(1) }
    print("OK")
  }
}

/// The soak's sensor and teacher: PUB sockets for spikes and labels, a SUB counting predictions.
final class SoakPeer {
  let context: ZMQContext
  let spikes: ZMQSocket
  let labels: ZMQSocket
  let output: ZMQSocket
  let topics: Topics
  var poller = ZMQPoller()
  var predictionsReceived = 0
  private var seed = 0

  init(endpoints: [String: [String]], topics: Topics, window: Int) throws {
    self.topics = topics
    context = try ZMQContext()
    spikes = try ZMQSocket(context, type: .pub)
    labels = try ZMQSocket(context, type: .pub)
    output = try ZMQSocket(context, type: .sub)
    try spikes.setSendHighWaterMark(Int32(window * 4))
    try output.setReceiveHighWaterMark(Int32(window * 4))
    try spikes.connect(endpoints["spikes"]![0])
    try labels.connect(endpoints["labels"]![0])
    try output.connect(endpoints["output"]![0])
    try output.subscribe(topics.predictions)
    poller.add(output)
  }

  static func residentKilobytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return 0 }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
  }

  /// A sample of class k: events on channels [70k, 70k + 70).
  func sample(class k: Int, events: Int = 40) -> SpikeSample {
    seed = seed &+ 1
    var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(k)
    var units: [UInt16] = []
    for _ in 0..<events {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      units.append(UInt16(70 * (k % 10) + Int((state >> 33) % 70)))
    }
    return SpikeSample(times: (0..<events).map { Float($0) * 0.02 }, units: units, label: k)
  }

  func sendSample(sequence: UInt64, classCount: Int, bad reason: String?) throws {
    var wire = R4ncl_V1_SpikeSample(sample(class: Int(sequence) % classCount), sensor: "soak", sequence: sequence, channelCount: 700)
    var payload: [UInt8]
    switch reason {
    case "time_negative": wire.times[0] = -1
    case "unit_out_of_range": wire.units[0] = 700
    case "empty_sample":
      wire.times = []
      wire.units = []
    default: break
    }
    payload = try wire.serializedBytes()
    if reason == "not_protobuf" { payload = [0xFF, 0xFF, 0xFF, 0x07] + payload }
    _ = try spikes.send(topic: topics.spikes(sensor: "soak"), payload: payload)
  }

  /// Announces class k and sends `samples` labeled samples of it (learning starts at 8).
  func teach(class k: Int, samples: Int) throws {
    var event = R4ncl_V1_LabelEvent()
    var announcement = R4ncl_V1_ClassAnnouncement()
    announcement.classID = Int32(k)
    announcement.name = "class\(k)"
    event.announce = announcement
    try labels.send(topic: topics.labels, payload: try event.serializedBytes())
    var batch = R4ncl_V1_LabeledSamples()
    batch.classID = Int32(k)
    batch.samples = (0..<samples).map { R4ncl_V1_SpikeSample(sample(class: k), sensor: "teacher", sequence: UInt64($0), channelCount: 700) }
    event.samples = batch
    try labels.send(topic: topics.labels, payload: try event.serializedBytes())
  }

  func drain(waitMilliseconds: Int = 0) throws {
    if waitMilliseconds > 0 { _ = try poller.poll(timeoutMilliseconds: waitMilliseconds) }
    while let frames = try output.receive(dontWait: true) { if frames.count == 2 { predictionsReceived += 1 } }
  }

  func wait(timeout: Double, _ condition: () -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
      guard Date() < deadline else { throw CommandFailure("soak: the node did not reach the expected state in \(timeout) s") }
      try drain(waitMilliseconds: 5)
    }
  }

  /// Slow-joiner handshake on the labels socket: probes on an unknown sub-topic until counted.
  func handshakeLabels(_ node: NodeRuntime) throws {
    let deadline = Date().addingTimeInterval(10)
    while node.currentCounters.labelEvents == 0 {
      guard Date() < deadline else { throw CommandFailure("soak: labels handshake failed") }
      try labels.send(topic: topics.labels + "/probe", payload: [])
      usleep(20_000)
    }
  }

  /// Slow-joiner handshake on spikes and predictions: probes until a prediction comes back.
  func handshakeSpikes(_ node: NodeRuntime) throws {
    let deadline = Date().addingTimeInterval(10)
    var sequence: UInt64 = 0
    while predictionsReceived == 0 {
      guard Date() < deadline else { throw CommandFailure("soak: spikes handshake failed") }
      sequence += 1
      var probe = R4ncl_V1_SpikeSample(sample(class: 0), sensor: "probe", sequence: sequence, channelCount: 700)
      probe.sensor = "probe"
      try spikes.send(topic: topics.spikes(sensor: "probe"), payload: try probe.serializedBytes())
      try drain(waitMilliseconds: 20)
    }
    let settle = Date().addingTimeInterval(5)
    while node.currentCounters.predicted < node.currentCounters.received && Date() < settle { try drain(waitMilliseconds: 5) }
    try drain(waitMilliseconds: 20)
    predictionsReceived = 0
  }
}
