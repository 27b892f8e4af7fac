import Foundation
import Learner
import Proto
import XCTest

@testable import Node

/// Replay shards on the wire: chunking, reassembly, and every way a shard can arrive broken
/// (missing, corrupted or inconsistent chunks), none of which may yield a shard.
final class SwarmShardTests: XCTestCase {
  /// A shard of 12 random spike latents of two classes (d = 1, T = 10, N = 40), bitpacked.
  func shard() throws -> ReplayShardContent {
    var buffer = try ReplayBuffer(codec: BitpackCodec(), depth: 1, timesteps: 10, units: 40, baseFingerprint: "cafe0001")
    var random = SeededGenerator(seed: 5)
    for i in 0..<12 {
      let values = (0..<400).map { _ in random.nextGaussian() > 1 ? Float(1) : 0 }
      try buffer.add(LatentSample(depth: 1, timesteps: 10, width: 40, values: values, label: i < 8 ? 19 : 18))
    }
    return try ReplayShardContent(
      buffer: buffer, classes: ClassMap([19: "fox", 18: "owl"]), node: "a", modelVersion: 2, baseFingerprint: "cafe0001")
  }

  func testChunksReassembleInAnyOrderIntoTheSameShard() throws {
    let original = try shard()
    let chunks = original.chunks(maxChunkBytes: 100)
    XCTAssertEqual(chunks.count, (original.payloadBytes + 99) / 100)
    XCTAssertGreaterThan(chunks.count, 3)
    var assembler = ShardAssembler(maxShardBytes: 1 << 20, timeout: 10)
    var outcomes: [ShardAssembler.Outcome] = []
    for chunk in chunks.reversed() { outcomes.append(assembler.add(chunk, now: 0)) }
    XCTAssertEqual(outcomes.dropLast(), Array(repeating: .partial, count: chunks.count - 1))
    XCTAssertEqual(outcomes.last, .complete(original))
    let latents = try original.latents()
    XCTAssertEqual(latents.map(\.label), Array(repeating: 18, count: 4) + Array(repeating: 19, count: 8))
    // The same shard again (e.g. a re-publication or a snapshot) is a duplicate.
    XCTAssertEqual(assembler.add(chunks[0], now: 1), .duplicate)
    XCTAssertEqual(assembler.pendingCount, 0)
  }

  func testAMissingChunkNeverCompletesAndExpires() throws {
    let chunks = try shard().chunks(maxChunkBytes: 100)
    var assembler = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5)
    for (index, chunk) in chunks.enumerated() where index != 2 {
      XCTAssertEqual(assembler.add(chunk, now: 0), .partial)
    }
    XCTAssertEqual(assembler.expire(now: 4), [])
    XCTAssertEqual(assembler.expire(now: 6).count, 1)
    XCTAssertEqual(assembler.pendingCount, 0)
  }

  func testACorruptedChunkFailsTheChecksum() throws {
    var chunks = try shard().chunks(maxChunkBytes: 100)
    chunks[1].payload[7] ^= 0x10
    var assembler = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5)
    let outcomes = chunks.map { assembler.add($0, now: 0) }
    guard case .refused(let reason, _)? = outcomes.last else { return XCTFail("\(outcomes)") }
    XCTAssertEqual(reason, "shard_crc_mismatch")
    XCTAssertFalse(outcomes.contains { if case .complete = $0 { true } else { false } })
  }

  func testChunksThatDisagreeOrOverflowAreRefused() throws {
    let original = try shard()
    var chunks = original.chunks(maxChunkBytes: 100)
    var assembler = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5)
    XCTAssertEqual(assembler.add(chunks[0], now: 0), .partial)
    chunks[1].baseFingerprint = "00000000"
    guard case .refused("shard_torn", _) = assembler.add(chunks[1], now: 0) else { return XCTFail("torn shard accepted") }

    var bad = chunks[0]
    bad.chunkIndex = bad.chunkCount
    guard case .refused("shard_malformed", _) = assembler.add(bad, now: 0) else { return XCTFail("index out of range") }
    var small = ShardAssembler(maxShardBytes: 50, timeout: 5)
    guard case .refused("shard_oversized", _) = small.add(chunks[0], now: 0) else { return XCTFail("oversized shard") }

    // Lengths that do not split the payload: the CRC is right, the framing is not.
    var lying = original
    lying.samples[0].removeLast()
    lying.samples[1].append(0)
    var framing = lying.chunks(maxChunkBytes: 1 << 20)
    framing[0].sampleBytes[0] += 1
    guard case .refused("shard_malformed", _) = assembler.add(framing[0], now: 0) else { return XCTFail("bad framing") }
  }

  func testDecodedLatentsMustMatchTheShardsMetadata() throws {
    var wrong = try shard()
    wrong.labels[0] = 17
    XCTAssertThrowsError(try wrong.latents())
    wrong = try shard()
    wrong.width = 41
    XCTAssertThrowsError(try wrong.latents())
  }

  func testClassIdsAreAgreedByNameLowestIdWins() {
    let local = ClassMap([0: "zero", 5: "fox", 7: "owl"])
    XCTAssertEqual(ClassAgreement.decide(id: 9, name: "cat", local: local, capacity: 20), .learn(id: 9, name: "cat"))
    XCTAssertEqual(ClassAgreement.decide(id: 5, name: "fox", local: local, capacity: 20), .known(id: 5))
    XCTAssertEqual(ClassAgreement.decide(id: 8, name: "fox", local: local, capacity: 20), .keepOurs(ours: 5, theirs: 8))
    XCTAssertEqual(ClassAgreement.decide(id: 3, name: "owl", local: local, capacity: 20), .moveOurs(from: 7, to: 3))
    guard case .conflict = ClassAgreement.decide(id: 0, name: "owl", local: local, capacity: 20) else { return XCTFail() }
    guard case .conflict = ClassAgreement.decide(id: 7, name: "cat", local: local, capacity: 20) else { return XCTFail() }
    guard case .conflict = ClassAgreement.decide(id: 20, name: "cat", local: local, capacity: 20) else { return XCTFail() }
    // Both sides reach the same id: the node with the higher id moves, the other keeps its own.
    let peer = ClassMap([3: "owl"])
    XCTAssertEqual(ClassAgreement.decide(id: 7, name: "owl", local: peer, capacity: 20), .keepOurs(ours: 3, theirs: 7))
  }

  func testKeygenWritesAKeyPairAndTheAllowlistReadsIt() throws {
    guard ZMQCurve.isAvailable else { throw XCTSkip("libzmq without CURVE") }
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let paths = try CurveKeyFiles.generate(directory: directory, name: "drone1")
    let publicKey = try CurveKeyFiles.read(paths.publicPath)
    let secretKey = try CurveKeyFiles.read(paths.secretPath)
    XCTAssertEqual(try ZMQCurve.publicKey(fromSecret: secretKey), publicKey)
    let mode = try FileManager.default.attributesOfItem(atPath: paths.secretPath)[.posixPermissions] as? Int
    XCTAssertEqual(mode, 0o600)
    XCTAssertEqual(try CurveKeyFiles.allowed(directory: directory), ["drone1": publicKey])
    XCTAssertThrowsError(try CurveKeyFiles.generate(directory: directory, name: "drone1"), "never overwrites a secret key")
    try "not a key\n".write(toFile: directory + "/bad.key", atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try CurveKeyFiles.allowed(directory: directory))
  }

  func testSwarmParametersParseAndRefuseKeysWithoutSwarmSockets() throws {
    var parameters = Parameters()
    try parameters.override([
      "swarm.endpoint=@tcp://127.0.0.1:6000", "swarm.peers=b@tcp://10.0.0.2:6000,c@tcp://10.0.0.3:6000",
      "swarm.chunk_bytes=4096",
    ])
    let configuration = try NodeConfiguration(parameters: parameters)
    XCTAssertEqual(configuration.swarm.peers, [SwarmPeer(name: "b", endpoint: "tcp://10.0.0.2:6000"), SwarmPeer(name: "c", endpoint: "tcp://10.0.0.3:6000")])
    XCTAssertEqual(configuration.swarm.chunkBytes, 4096)
    XCTAssertFalse(configuration.swarm.isSecure)
    var keysOnly = Parameters()
    try keysOnly.override(["security.secret_key=/k/a.key_secret", "security.allowed_keys=/k"])
    XCTAssertThrowsError(try NodeConfiguration(parameters: keysOnly))
    var badPeer = Parameters()
    try badPeer.override(["swarm.peers=tcp://10.0.0.2:6000"])
    XCTAssertThrowsError(try NodeConfiguration(parameters: badPeer))
  }
}
