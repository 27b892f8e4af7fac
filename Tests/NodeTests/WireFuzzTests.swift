import Foundation
import Learner
import Proto
import SwiftProtobuf
import XCTest

@testable import Node

/// Seeded in-process fuzzing of the wire path (decode + validate): random bytes, truncations
/// and bit flips of valid messages must each end as a valid message or one rejection reason,
/// never a crash.
final class WireFuzzTests: XCTestCase {
  func testMutatedMessagesAreDecodedOrRejectedNeverCrash() throws {
    var rng = SeededGenerator(seed: 42)
    let limits = ValidationLimits(channelCount: 700, maxPayloadBytes: 1 << 16)
    let spikes = SpikeSampleValidator(limits: limits)
    let labels = LabelEventValidator(limits: limits)
    let classes = ClassMap([0: "zero", 1: "one"])
    var seeds: [[UInt8]] = []
    for i in 0..<4 {
      seeds.append(try Synthetic.wire(Synthetic.sample(class: i % 3, seed: i), sensor: "s", sequence: UInt64(i)).serializedBytes())
    }
    seeds.append(try labeled(1, seeds: 0..<2).serializedBytes())
    seeds.append(try announce(2, "two").serializedBytes())
    var reasons: [RejectionReason: Int] = [:]
    var accepted = 0
    for _ in 0..<5000 {
      var bytes = seeds[Int.random(in: 0..<seeds.count, using: &rng)]
      switch Int.random(in: 0..<4, using: &rng) {
      case 0: bytes = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
      case 1: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
      default:
        for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
          bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        }
      }
      switch WireDecoder.decode(R4ncl_V1_SpikeSample.self, from: bytes, maxBytes: limits.maxPayloadBytes) {
      case .failure(let reason): reasons[reason, default: 0] += 1
      case .success(let sample):
        if let problem = spikes.problem(in: sample) { reasons[problem, default: 0] += 1 } else { accepted += 1 }
      }
      if case .success(let event) = WireDecoder.decode(R4ncl_V1_LabelEvent.self, from: bytes, maxBytes: limits.maxPayloadBytes) {
        _ = labels.problem(in: event, classes: classes)
      }
    }
    XCTAssertEqual(reasons.values.reduce(0, +) + accepted, 5000)
    XCTAssertGreaterThan(reasons[.notProtobuf] ?? 0, 0)
    XCTAssertGreaterThan(accepted, 0, "some bit flips leave a valid sample (e.g. in a time's low bits)")
  }
}
