import Foundation
import Learner
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

/// What the node must do with one fuzz message, worked out before it is sent by the library's
/// own decoder and validators (the oracle) and, for the hand-made hostile cases, by construction.
enum FuzzExpectation: Equatable {
  /// A valid spike sample: answered with a prediction keyed (sensor, sequence).
  case predicted(sensor: String, sequence: UInt64)
  /// A valid label event: `samples` labeled samples acknowledged (0 for announce / learn-now).
  case accepted(samples: Int)
  /// Refused and counted under this reason.
  case rejected(RejectionReason)
  /// Never reaches the node: its topic frame matches no subscription (ZeroMQ filters it).
  case filtered
}

/// Mirrors the node's routing of input messages (frames -> topic -> decode -> validate), with
/// the class state label events change (accepted announcements).
struct FuzzOracle {
  let topics: Topics
  let limits: ValidationLimits
  var classes: ClassMap

  func spikes(_ frames: [[UInt8]]) -> FuzzExpectation {
    guard let first = frames.first, first.starts(with: Array(topics.spikesPrefix.utf8)) else { return .filtered }
    guard frames.count == 2 else { return .rejected(.badFrames) }
    guard let sensor = topics.sensor(ofSpikeTopic: String(decoding: frames[0], as: UTF8.self)) else {
      return .rejected(.unknownTopic)
    }
    switch WireDecoder.decode(R4ncl_V1_SpikeSample.self, from: frames[1], maxBytes: limits.maxPayloadBytes) {
    case .failure(let reason): return .rejected(reason)
    case .success(let sample):
      if let problem = SpikeSampleValidator(limits: limits).problem(in: sample, topicSensor: sensor) { return .rejected(problem) }
      return .predicted(sensor: sample.sensor.isEmpty ? sensor : sample.sensor, sequence: sample.sequence)
    }
  }

  mutating func labels(_ frames: [[UInt8]]) -> FuzzExpectation {
    guard let first = frames.first, first.starts(with: Array(topics.labels.utf8)) else { return .filtered }
    guard frames.count == 2 else { return .rejected(.badFrames) }
    guard String(decoding: frames[0], as: UTF8.self) == topics.labels else { return .rejected(.unknownTopic) }
    let event: R4ncl_V1_LabelEvent
    switch WireDecoder.decode(R4ncl_V1_LabelEvent.self, from: frames[1], maxBytes: limits.maxPayloadBytes) {
    case .failure(let reason): return .rejected(reason)
    case .success(let decoded): event = decoded
    }
    if let problem = LabelEventValidator(limits: limits).problem(in: event, classes: classes) { return .rejected(problem) }
    switch event.event {
    case .announce(let announce):
      classes.set(Int(announce.classID), name: announce.name)
      return .accepted(samples: 0)
    case .samples(let batch): return .accepted(samples: batch.samples.count)
    default: return .accepted(samples: 0)
    }
  }
}

/// Makes the fuzz messages: valid samples, random bytes, truncations and bit flips of valid
/// messages, valid messages with hostile field values, in random topic frames.
struct FuzzMessageMaker {
  var rng: SeededGenerator
  let topics: Topics
  let limits: ValidationLimits
  let spikeSeeds: [[UInt8]]
  let labelSeeds: [[UInt8]]
  let otherTypes: [[UInt8]]
  var sequence: UInt64 = 0
  /// Random bytes to cut messages from.
  let pool: [UInt8]
  /// Messages made per category (for the report).
  var categories: [String: Int] = [:]

  init(seed: UInt64, topics: Topics, limits: ValidationLimits) throws {
    rng = SeededGenerator(seed: seed)
    var poolRandom = SeededGenerator(seed: seed ^ 0xF00D)
    pool = (0..<(limits.maxPayloadBytes + 8192) / 8).flatMap { _ in withUnsafeBytes(of: poolRandom.next()) { Array($0) } }
    self.topics = topics
    self.limits = limits
    spikeSeeds = try (0..<12).map {
      try Synthetic.wire(Synthetic.sample(class: $0 % 3, seed: 50 + $0, events: 20 + $0 * 5), sensor: "fuzz", sequence: 9_000_000 + UInt64($0))
        .serializedBytes()
    }
    labelSeeds = [
      try announce(1, "class1").serializedBytes(), try announce(7, "seven").serializedBytes(),
      try labeled(1, seeds: 0..<2).serializedBytes(), try labeled(2, seeds: 5..<6).serializedBytes(),
    ]
    var prediction = R4ncl_V1_Prediction()
    prediction.sensor = "fuzz"
    prediction.scores = [0.5, -1, 2]
    prediction.classID = 2
    var status = R4ncl_V1_NodeStatus()
    status.node = "elsewhere"
    status.received = 12
    var checkpoint = R4ncl_V1_Checkpoint()
    checkpoint.modelVersion = 3
    checkpoint.configurationJson = "{}"
    otherTypes = [try prediction.serializedBytes(), try status.serializedBytes(), try checkpoint.serializedBytes()]
  }

  mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &rng) }
  mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
  /// Random bytes, drawn from `pool` at a random offset (one generator call per message, not per byte).
  mutating func bytes(_ count: Int) -> [UInt8] {
    let start = int(0..<(pool.count - count + 1))
    return Array(pool[start..<(start + count)])
  }

  mutating func mutate(_ seed: [UInt8]) -> (String, [UInt8]) {
    var bytes = seed
    if chance(0.4) {
      return ("truncated", Array(bytes.prefix(int(0..<max(1, bytes.count)))))
    }
    for _ in 0..<int(1..<5) where !bytes.isEmpty {
      bytes[int(0..<bytes.count)] ^= UInt8(1) << UInt8(int(0..<8))
    }
    return ("bit_flipped", bytes)
  }

  /// A valid wire sample of `events` events (class k's channels).
  mutating func validSample(events: Int? = nil) -> R4ncl_V1_SpikeSample {
    sequence += 1
    let k = int(0..<3)
    return Synthetic.wire(Synthetic.sample(class: k, seed: int(0..<1_000_000), events: events ?? int(10..<60)), sensor: "fuzz", sequence: sequence)
  }

  /// A valid sample with one hostile field (name, sample, expected reason).
  mutating func hostileSample() -> (String, R4ncl_V1_SpikeSample, RejectionReason) {
    var sample = validSample()
    let at = int(0..<sample.times.count)
    switch int(0..<11) {
    case 0:
      sample = validSample(events: limits.maxEvents + 1 + int(0..<4000))
      sample.units = sample.units.map { $0 % 100 }
      return ("huge_arrays", sample, .oversized)
    case 1:
      sample.times[at] = chance(0.5) ? .nan : (chance(0.5) ? .infinity : -.infinity)
      return ("nan_or_infinite_time", sample, .timeNotFinite)
    case 2:
      sample.times[at] = -Float.random(in: 1e-6...1e6, using: &rng)
      return ("negative_time", sample, .timeNegative)
    case 3:
      sample.units[at] = UInt32(limits.channelCount) + UInt32.random(in: 0...UInt32.max - UInt32(limits.channelCount), using: &rng)
      return ("unit_out_of_range", sample, .unitOutOfRange)
    case 4:
      sample.times = []
      sample.units = []
      return ("empty_sample", sample, .emptySample)
    case 5:
      sample.units.removeLast(int(1..<sample.units.count + 1))
      return ("length_mismatch", sample, .lengthMismatch)
    case 6:
      sample.channelCount = chance(0.5) ? UInt32.random(in: 0..<UInt32(limits.channelCount), using: &rng) : UInt32.max
      return ("channel_count", sample, .channelCountMismatch)
    case 7:
      sample.times.swapAt(0, sample.times.count - 1)
      return ("unsorted_times", sample, .timesUnsorted)
    case 8:
      sample.sensor = "impostor"
      return ("sensor_mismatch", sample, .sensorMismatch)
    case 9:
      sample.label = Int32.random(in: Int32.min...Int32.max, using: &rng)
      sample.times[at] = .nan
      return ("nan_with_hostile_label", sample, .timeNotFinite)
    default:
      sample.times[sample.times.count - 1] = .greatestFiniteMagnitude
      sample.label = -5
      sample.sequence = UInt64.max
      return ("extreme_but_valid", sample, RejectionReason.emptyEvent)  // marker: expected valid
    }
  }

  /// One message for the spike socket: (category, frames).
  mutating func spikeMessage() throws -> (String, [[UInt8]], RejectionReason?) {
    let topic = Array(topics.spikes(sensor: "fuzz").utf8)
    let roll = int(0..<100)
    switch roll {
    case 0..<12:
      return ("valid", [topic, try validSample().serializedBytes()], nil)
    case 12..<27:
      return ("random_bytes", [topic, bytes(int(0..<200))], nil)
    case 27..<52:
      let (name, bytes) = mutate(spikeSeeds[int(0..<spikeSeeds.count)])
      return (name, [topic, bytes], nil)
    case 52..<80:
      let (name, sample, reason) = hostileSample()
      return (name, [topic, try sample.serializedBytes()], reason == .emptyEvent ? nil : reason)
    case 80..<83:
      return ("oversized_payload", [topic, bytes(limits.maxPayloadBytes + 1 + int(0..<3000))], .oversized)
    case 83..<87:
      return ("wrong_message_type", [topic, otherTypes[int(0..<otherTypes.count)]], nil)
    case 87..<90:
      return ("one_frame", [topic + bytes(int(0..<20))], .badFrames)
    case 90..<92:
      return ("three_frames", [topic, try validSample().serializedBytes(), bytes(int(0..<10))], .badFrames)
    case 92..<94:
      return ("empty_sensor_topic", [Array(topics.spikesPrefix.utf8), try validSample().serializedBytes()], .unknownTopic)
    case 94..<97:
      var frames = [Array(topics.spikesPrefix.utf8) + bytes(int(1..<16)), try validSample().serializedBytes()]
      if frames[0].count == topics.spikesPrefix.utf8.count { frames[0].append(65) }
      return ("random_sensor_topic", frames, nil)
    default:
      let topic = chance(0.5) ? bytes(int(0..<24)) : Array("other/spikes/fuzz".utf8)
      return ("unsubscribed_topic", [topic, try validSample().serializedBytes()], nil)
    }
  }

  /// One message for the labels socket.
  mutating func labelMessage() throws -> (String, [[UInt8]], RejectionReason?) {
    let topic = Array(topics.labels.utf8)
    let roll = int(0..<100)
    func batch(_ id: Int32, _ samples: [R4ncl_V1_SpikeSample]) -> R4ncl_V1_LabelEvent {
      labelEvent {
        var b = R4ncl_V1_LabeledSamples()
        b.classID = id
        b.samples = samples
        $0.samples = b
      }
    }
    switch roll {
    case 0..<3:
      return ("label_valid_samples", [topic, try batch(1, [validSample()]).serializedBytes()], nil)
    case 3..<8:
      let k = int(0..<3)
      return ("label_repeat_announce", [topic, try announce(Int32(k), "class\(k)").serializedBytes()], nil)
    case 8..<20:
      let id = chance(0.5) ? Int32(limits.classCapacity) + Int32(int(0..<1_000_000)) : -Int32(int(1..<1000))
      return ("label_announce_beyond_capacity", [topic, try announce(id, "far").serializedBytes()], .classCapacity)
    case 20..<28:
      let id = Int32(limits.classCapacity) + Int32(int(0..<1000))
      return ("label_samples_beyond_capacity", [topic, try batch(id, [validSample()]).serializedBytes()], .classCapacity)
    case 28..<36:
      return ("label_samples_unknown_class", [topic, try batch(Int32(int(20..<40)), [validSample()]).serializedBytes()], .unknownClass)
    case 36..<42:
      return ("label_conflicting_announce", [topic, try announce(Int32(int(0..<3)), "renamed").serializedBytes()], .classConflict)
    case 42..<46:
      return ("label_empty_name", [topic, try announce(Int32(int(10..<20)), "").serializedBytes()], .classConflict)
    case 46..<52:
      return ("label_empty_samples", [topic, try batch(1, []).serializedBytes()], .emptySample)
    case 52..<58:
      var sample = validSample()
      sample.times[0] = .nan
      return ("label_nan_sample", [topic, try batch(2, [validSample(), sample]).serializedBytes()], .timeNotFinite)
    case 58..<62:
      let event = labelEvent { var l = R4ncl_V1_LearnNow(); l.classIds = [Int32(int(30..<60))]; $0.learnNow = l }
      return ("label_learn_unknown", [topic, try event.serializedBytes()], .unknownClass)
    case 62..<66:
      return ("label_empty_event", [topic, try labelEvent { _ in }.serializedBytes()], .emptyEvent)
    case 66..<74:
      return ("label_random_bytes", [topic, bytes(int(0..<200))], nil)
    case 74..<90:
      let (name, bytes) = mutate(labelSeeds[int(0..<labelSeeds.count)])
      return ("label_" + name, [topic, bytes], nil)
    case 90..<94:
      return ("label_subtopic", [topic + Array("/x".utf8), try announce(1, "class1").serializedBytes()], .unknownTopic)
    case 94..<97:
      return ("label_one_frame", [topic], .badFrames)
    default:
      return ("label_wrong_type", [topic, spikeSeeds[int(0..<spikeSeeds.count)]], nil)
    }
  }
}

/// Takes every output message already queued, without waiting.
func drainOutput(_ client: NodeClient) throws {
  while let frames = try client.output.receive(dontWait: true) {
    guard frames.count == 2 else { continue }
    client.received[String(decoding: frames[0], as: UTF8.self), default: []].append(frames[1])
  }
}

/// The socket fuzz harness (issue 6): a real `r4ncl node` process gets at least 100,000
/// seeded hostile messages over tcp. It must not crash or hang, must count every bad message
/// under the reason the oracle predicts, and must answer every valid sample mixed in.
/// `R4NCL_FUZZ_MESSAGES` and `R4NCL_FUZZ_SEED` change the count and the seed.
final class NodeFuzzTests: XCTestCase {
  func testHundredThousandHostileMessagesOverTCP() throws {
    let total = environmentInt("R4NCL_FUZZ_MESSAGES", 100_000)
    let seed = UInt64(environmentInt("R4NCL_FUZZ_SEED", 6))
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let limits = ValidationLimits(channelCount: 700, maxPayloadBytes: 65_536, maxEvents: 2000, maxSamplesPerEvent: 64, classCapacity: 64)
    let node = try NodeProcess(namespace: "fz", parameters: [
      "spool.dir=\(directory)/spool", "checkpoint.dir=\(directory)/ckpt", "learning.min_samples=4",
      "limits.max_message_bytes=\(limits.maxPayloadBytes)", "limits.max_events=\(limits.maxEvents)",
      "limits.max_samples_per_event=\(limits.maxSamplesPerEvent)", "limits.class_capacity=\(limits.classCapacity)",
      "hwm.input=20000", "hwm.output=20000", "queue.prediction=20000", "status.period_s=0.5",
    ])
    defer {
      if !node.isRunning || !(testRun?.hasSucceeded ?? true) { print("node output:\n" + String(node.output.suffix(4000))) }
      if node.isRunning { node.kill9() }
    }
    let client = try node.client()
    try client.handshakeLabels()
    for k in 0..<3 {
      try client.sendLabel(announce(Int32(k), "class\(k)"))
      try client.sendLabel(labeled(k, seeds: 0..<4))
    }
    try client.waitForStatus(timeout: 20) { $0.classes.count == 3 && !$0.learning.active }
    try client.handshake()
    let base = try client.waitForStatus { $0.predicted == $0.received }
    client.received = [:]

    var maker = try FuzzMessageMaker(seed: seed, topics: node.topics, limits: limits)
    var oracle = FuzzOracle(topics: node.topics, limits: limits, classes: ClassMap(base.classes.reduce(into: [:]) { $0[Int($1.id)] = $1.name }))
    var expectedRejections: [String: UInt64] = [:]
    var expectedPredictions: [String: Int] = [:]
    var expectedAcknowledged = 0
    var spikesSent = 0, labelsSent = 0, filtered = 0, valid = 0, bad = 0
    var maxControlSeconds = 0.0
    let started = Date()

    func status() throws -> R4ncl_V1_NodeStatus {
      let t = Date()
      let s = try client.status()
      maxControlSeconds = max(maxControlSeconds, Date().timeIntervalSince(t))
      return s
    }
    func outstanding(_ s: R4ncl_V1_NodeStatus) -> Int {
      (spikesSent - Int(s.received - base.received)) + (labelsSent - Int(s.labelEvents - base.labelEvents))
    }

    for i in 0..<total {
      let isLabel = maker.chance(0.15)
      let (category, frames, constructed) = isLabel ? try maker.labelMessage() : try maker.spikeMessage()
      maker.categories[category, default: 0] += 1
      let expectation = isLabel ? oracle.labels(frames) : oracle.spikes(frames)
      // Unknown-class and conflict verdicts depend on the classes accepted so far (a bit flip can
      // announce one), so only the oracle decides those.
      if let constructed, constructed != .unknownClass, constructed != .classConflict {
        XCTAssertEqual(expectation, .rejected(constructed), "\(category) #\(i)")
      }
      switch expectation {
      case .filtered: filtered += 1
      case .rejected(let reason):
        bad += 1
        expectedRejections[reason.rawValue, default: 0] += 1
      case .predicted(let sensor, let sequence):
        valid += 1
        expectedPredictions["\(sensor)#\(sequence)", default: 0] += 1
      case .accepted(let samples):
        valid += 1
        expectedAcknowledged += samples
      }
      if expectation != .filtered { if isLabel { labelsSent += 1 } else { spikesSent += 1 } }
      _ = try (isLabel ? client.labels : client.spikes).send(frames)
      // Flow control: stay within the sockets' high-water marks so nothing is lost unseen.
      if i % 128 == 127 {
        var s = try status()
        while outstanding(s) > 600 {
          _ = try client.collect(until: { false }, timeout: 0.002)
          s = try status()
        }
        try drainOutput(client)
      }
    }
    let final = try client.waitForStatus(timeout: 60) {
      $0.received - base.received == UInt64(spikesSent) && $0.labelEvents - base.labelEvents == UInt64(labelsSent)
        && $0.predicted + $0.dropped + $0.rejectedSamples == $0.received
    }
    let predictionCount = expectedPredictions.values.reduce(0, +)
    XCTAssertTrue(try client.collect(until: {
      ((try? client.predictions(sensor: "fuzz")) ?? []).count + ((try? client.predictions(sensor: "probe")) ?? []).count
        >= predictionCount
    }, timeout: 30))
    let seconds = Date().timeIntervalSince(started)

    // No crash, no hang.
    XCTAssertTrue(node.isRunning, node.output)
    XCTAssertLessThan(maxControlSeconds, 2.0, "a control request took \(maxControlSeconds) s")
    // Every message reached the node and is accounted for.
    XCTAssertEqual(final.received - base.received, UInt64(spikesSent))
    XCTAssertEqual(final.labelEvents - base.labelEvents, UInt64(labelsSent))
    XCTAssertEqual(final.dropped - base.dropped, 0, "\(final.droppedByReason)")
    // Every bad message is rejected under the expected reason.
    var rejections: [String: UInt64] = [:]
    for entry in final.rejectedByReason {
      let before = base.rejectedByReason.first { $0.reason == entry.reason }?.count ?? 0
      if entry.count > before { rejections[entry.reason] = entry.count - before }
    }
    XCTAssertEqual(rejections, expectedRejections)
    XCTAssertEqual(rejections.values.reduce(0, +), UInt64(bad))
    // Every valid sample is answered.
    XCTAssertEqual(final.predicted - base.predicted, UInt64(predictionCount))
    var answered: [String: Int] = [:]
    for prediction in try client.predictions(sensor: "fuzz") { answered["\(prediction.sensor)#\(prediction.sequence)", default: 0] += 1 }
    let otherSensors = try (client.received[node.topics.predictions] ?? []).map { try R4ncl_V1_Prediction(serializedBytes: $0) }
      .filter { $0.sensor != "fuzz" && $0.sensor != "probe" }
    for prediction in otherSensors { answered["\(prediction.sensor)#\(prediction.sequence)", default: 0] += 1 }
    XCTAssertEqual(answered, expectedPredictions)
    XCTAssertEqual(final.labelsAcknowledged - base.labelsAcknowledged, UInt64(expectedAcknowledged))

    let rss = node.residentKilobytes ?? -1
    let nodeCPU = node.cpuSeconds ?? -1
    print("""
      fuzz over tcp: \(total) messages (seed \(seed)) in \(String(format: "%.1f", seconds)) s: \(spikesSent) on spike topics, \
      \(labelsSent) on the labels topic, \(filtered) filtered by subscription; \(valid) valid (\(predictionCount) predicted, \
      \(expectedAcknowledged) labeled samples acknowledged), \(bad) rejected, \(final.dropped - base.dropped) dropped, \
      crashes 0, max control round trip \(String(format: "%.1f", maxControlSeconds * 1000)) ms, node RSS \(rss) kB, node CPU \(String(format: "%.1f", nodeCPU)) s
      rejections by reason: \(rejections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
      categories: \(maker.categories.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
      """)
    XCTAssertEqual(node.terminate(), 0, node.output)
  }
}
