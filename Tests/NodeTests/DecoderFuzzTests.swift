import Foundation
import Learner
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

/// Seeded in-process fuzzing of every decoder the node runs on untrusted bytes: each r4ncl.v1
/// message type (mutations of a populated message), node checkpoint files and label spools
/// (mutated copies on disk). Each must end as a value or a clear error, never a crash; the
/// CRC-protected files must never yield altered content.
final class DecoderFuzzTests: XCTestCase {
  /// One mutation: truncation, bit flips, a random block, a splice with another message, or
  /// random bytes.
  func mutate(_ bytes: [UInt8], other: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
    var out = bytes
    switch Int.random(in: 0..<5, using: &rng) {
    case 0: return Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
    case 1:
      for _ in 0..<Int.random(in: 1...8, using: &rng) where !out.isEmpty {
        out[Int.random(in: 0..<out.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
      }
      return out
    case 2:
      guard !out.isEmpty else { return out }
      let start = Int.random(in: 0..<out.count, using: &rng)
      for i in start..<min(out.count, start + Int.random(in: 1...16, using: &rng)) { out[i] = UInt8.random(in: 0...255, using: &rng) }
      return out
    case 3:
      return Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng))) + Array(other.suffix(Int.random(in: 0...other.count, using: &rng)))
    default:
      return (0..<Int.random(in: 0..<256, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }
  }

  func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ bytes: [UInt8]) -> String {
    switch WireDecoder.decode(type, from: bytes, maxBytes: 1 << 20) {
    case .failure(let reason): return reason.rawValue
    case .success(let message):
      // A decoded message re-encodes (no invalid state reached the value).
      XCTAssertNoThrow(try message.serializedBytes() as [UInt8])
      return "decoded"
    }
  }

  func testEveryMessageTypeSurvivesMutation() throws {
    let model = try Synthetic.model(classes: 3)
    var checkpoint = model.checkpoint()
    checkpoint.node = "fuzz"
    var prediction = R4ncl_V1_Prediction()
    prediction.sensor = "mic"
    prediction.scores = [1, -2, 3.5]
    prediction.trueLabel = 2
    var shard = R4ncl_V1_ReplayShard()
    shard.payload = Data(repeating: 7, count: 100)
    shard.sampleLabels = [1, 2, 3]
    shard.codec = "raw"
    var status = R4ncl_V1_NodeStatus()
    status.node = "n"
    status.received = 5
    status.classes = model.classes.entries
    var request = R4ncl_V1_ControlRequest()
    request.id = 9
    request.saveCheckpoint = R4ncl_V1_SaveCheckpoint()
    var reply = R4ncl_V1_ControlReply()
    reply.ok = true
    reply.status = status
    let seeds: [(any SwiftProtobuf.Message.Type, [UInt8])] = [
      (R4ncl_V1_SpikeSample.self, try Synthetic.wire(Synthetic.sample(class: 1, seed: 3), sensor: "s", sequence: 4).serializedBytes()),
      (R4ncl_V1_LabelEvent.self, try labeled(1, seeds: 0..<2).serializedBytes()),
      (R4ncl_V1_LabelEvent.self, try announce(4, "four").serializedBytes()),
      (R4ncl_V1_Prediction.self, try prediction.serializedBytes()),
      (R4ncl_V1_Checkpoint.self, try checkpoint.serializedBytes()),
      (R4ncl_V1_ReplayShard.self, try shard.serializedBytes()),
      (R4ncl_V1_NodeStatus.self, try status.serializedBytes()),
      (R4ncl_V1_ControlRequest.self, try request.serializedBytes()),
      (R4ncl_V1_ControlReply.self, try reply.serializedBytes()),
    ]
    var rng = SeededGenerator(seed: UInt64(environmentInt("R4NCL_FUZZ_SEED", 6)))
    let perType = environmentInt("R4NCL_FUZZ_DECODES", 1000)
    var outcomes: [String: Int] = [:]
    for (index, (type, bytes)) in seeds.enumerated() {
      let other = seeds[(index + 1) % seeds.count].1
      for _ in 0..<perType {
        outcomes[decode(type, mutate(bytes, other: other, &rng)), default: 0] += 1
      }
    }
    XCTAssertEqual(outcomes.values.reduce(0, +), perType * seeds.count)
    XCTAssertGreaterThan(outcomes["decoded"] ?? 0, 0)
    XCTAssertGreaterThan(outcomes["not_protobuf"] ?? 0, 0)
    print("decoder fuzz: \(perType * seeds.count) mutated messages of \(seeds.count) seeds, outcomes \(outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), crashes 0")
  }

  /// A mutated label spool opens as a prefix of its records (the CRC stops at the first damaged
  /// record, the rest is cut as a torn tail), never with altered samples.
  func testMutatedLabelSpoolsKeepAnIntactPrefix() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let original = directory + "/original"
    do {
      let spool = try LabelSpool(directory: original)
      try spool.append(announce(3, "three"))
      for i in 0..<6 { try spool.append(labeled(3, seeds: i..<(i + 1))) }
    }
    let bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: original + "/labels.spool")))
    let expected = (0..<6).map { i -> SpikeSample in
      var sample = Synthetic.sample(class: 3, seed: i)
      sample.label = 3
      return sample
    }
    var rng = SeededGenerator(seed: 62)
    var kept: [Int: Int] = [:]
    for i in 0..<200 {
      let spoolDirectory = directory + "/m\(i)"
      try FileManager.default.createDirectory(atPath: spoolDirectory, withIntermediateDirectories: true)
      // (No splice with itself here: whole records spliced at record boundaries form a valid,
      // reordered log that no checksum can tell from a real one.)
      _ = FileManager.default.createFile(atPath: spoolDirectory + "/labels.spool", contents: Data(mutate(bytes, other: [], &rng)))
      let spool = try LabelSpool(directory: spoolDirectory)
      let samples = (spool.samples[3] ?? []).map(\.sample)
      XCTAssertEqual(samples, Array(expected.prefix(samples.count)), "spool #\(i) restored altered samples")
      XCTAssertTrue(spool.samples.keys.allSatisfy { $0 == 3 }, "\(spool.samples.keys)")
      kept[samples.count, default: 0] += 1
      try? FileManager.default.removeItem(atPath: spoolDirectory)
    }
    print("label spool fuzz: 200 mutated spools, intact samples kept (count: spools) \(kept.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))")
  }
}
