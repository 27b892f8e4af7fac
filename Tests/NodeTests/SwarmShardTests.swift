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

  /// Partial shards from all peers together are bounded in number and bytes: beyond either
  /// bound a chunk is refused (its shard dropped), and expiry or refusal gives the room back.
  func testPartialShardsAreBoundedInNumberAndBytes() throws {
    let chunks = try shard().chunks(maxChunkBytes: 100)
    func first(_ id: String, chunk index: Int = 0) -> R4ncl_V1_ReplayShard {
      var chunk = chunks[index]
      chunk.shardID = id
      return chunk
    }
    var assembler = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5, maxPendingShards: 3, maxPendingBytes: 1 << 20)
    for i in 0..<3 { XCTAssertEqual(assembler.add(first("s\(i)"), now: 0), .partial) }
    guard case .refused("shard_pending_limit", let detail) = assembler.add(first("s3"), now: 0) else {
      return XCTFail("a fourth partial shard was kept")
    }
    XCTAssertTrue(detail.contains("swarm.max_pending_shards"), detail)
    XCTAssertEqual(assembler.pendingCount, 3)
    // Chunks of shards already waiting are still taken.
    XCTAssertEqual(assembler.add(first("s0", chunk: 1), now: 0), .partial)
    XCTAssertGreaterThan(assembler.pendingBytes, 300)
    XCTAssertEqual(assembler.expire(now: 6).count, 3)
    XCTAssertEqual(assembler.pendingCount, 0)
    XCTAssertEqual(assembler.pendingBytes, 0)

    // Bytes: room for one shard's first two chunks and 50 bytes more, not for a second shard.
    var probe = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5)
    _ = (probe.add(chunks[0], now: 0), probe.add(chunks[1], now: 0))
    let twoChunks = probe.pendingBytes
    var small = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5, maxPendingShards: 10, maxPendingBytes: twoChunks + 50)
    XCTAssertEqual(small.add(chunks[0], now: 0), .partial)
    XCTAssertEqual(small.add(chunks[1], now: 0), .partial)
    guard case .refused("shard_pending_limit", let over) = small.add(first("other"), now: 0) else {
      return XCTFail("partial shards grew past max_pending_bytes")
    }
    XCTAssertTrue(over.contains("swarm.max_pending_bytes = \(twoChunks + 50)"), over)
    XCTAssertEqual(small.pendingBytes, twoChunks)
    // The third chunk (100 bytes) passes the bound, but its shard is the only partial one: taken,
    // since one shard of max_shard_bytes must fit with its metadata.
    XCTAssertEqual(small.add(chunks[2], now: 0), .partial)
    XCTAssertEqual(small.pendingCount, 1)
    // With a second partial shard waiting, a chunk over the bound drops its shard and frees its room.
    var single = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5)
    _ = single.add(chunks[0], now: 0)
    let one = single.pendingBytes  // a first chunk and its shard's metadata
    var two = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5, maxPendingShards: 10, maxPendingBytes: 2 * one + 50)
    XCTAssertEqual(two.add(first("other"), now: 0), .partial)
    let held = two.pendingBytes
    XCTAssertEqual(two.add(chunks[0], now: 0), .partial)
    guard case .refused("shard_pending_limit", _) = two.add(chunks[1], now: 0) else { return XCTFail("chunk over the bound kept") }
    XCTAssertEqual(two.pendingCount, 1)
    XCTAssertEqual(two.pendingBytes, held)
    // A shard of max_shard_bytes completes with max_pending_bytes = max_shard_bytes (the smallest
    // the parameters allow), its sample metadata notwithstanding.
    let payload = try shard().payloadBytes
    var tight = ShardAssembler(maxShardBytes: payload, timeout: 5, maxPendingShards: 1, maxPendingBytes: payload)
    var outcome = ShardAssembler.Outcome.partial
    for chunk in chunks { outcome = tight.add(chunk, now: 0) }
    guard case .complete = outcome else { return XCTFail("a shard of max_shard_bytes was refused: \(outcome)") }
    let whole = try shard().chunks(maxChunkBytes: 1 << 20)
    XCTAssertEqual(whole.count, 1)
    var fits = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5, maxPendingShards: 1, maxPendingBytes: 4096)
    guard case .complete = fits.add(whole[0], now: 7) else { return XCTFail("a shard within the bounds was refused") }
    XCTAssertEqual(fits.pendingBytes, 0)
  }

  /// A class list that gives one id two names, or one name two ids, would break "class names are
  /// unique within a node" (and a map silently keeps one of the ids): refused as malformed.
  func testAShardWhoseClassListRepeatsAnIdOrANameIsMalformed() throws {
    var content = try shard()
    content.classes = ClassMap([18: "dup", 19: "dup"])
    var assembler = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5)
    guard case .refused("shard_malformed", let detail) = assembler.add(content.chunks(maxChunkBytes: 1 << 20)[0], now: 0) else {
      return XCTFail("two ids named dup accepted")
    }
    XCTAssertTrue(detail.contains("class name \"dup\" is given to two ids"), detail)

    var chunk = try shard().chunks(maxChunkBytes: 1 << 20)[0]
    var again = R4ncl_V1_ClassEntry()
    again.id = 19
    again.name = "cat"
    chunk.classes.append(again)
    guard case .refused("shard_malformed", let why) = assembler.add(chunk, now: 0) else { return XCTFail("id 19 twice accepted") }
    XCTAssertTrue(why.contains("class id 19 appears twice"), why)
    XCTAssertEqual(assembler.pendingCount, 0)
  }

  /// Node names and shard ids key what the assembler remembers: over 4 KiB they are refused,
  /// and the detail quotes them escaped and cut short.
  func testOverlongIdentifiersAreRefusedAndQuotedShort() throws {
    var chunk = try shard().chunks(maxChunkBytes: 1 << 20)[0]
    chunk.shardID = "x\nFAKE critical: " + String(repeating: "y", count: 5000)
    var assembler = ShardAssembler(maxShardBytes: 1 << 20, timeout: 5)
    guard case .refused("shard_malformed", let detail) = assembler.add(chunk, now: 0) else { return XCTFail("long id accepted") }
    XCTAssertFalse(detail.contains("\n"))
    XCTAssertLessThan(detail.utf8.count, 200)
  }

  func testBoundParametersParseAndAreNamedErrorsOutOfRange() throws {
    var parameters = Parameters()
    try parameters.override([
      "swarm.peers=b@tcp://10.0.0.2:6000", "swarm.max_shard_bytes=1000000", "swarm.max_pending_shards=8",
    ])
    let derived = try NodeConfiguration(parameters: parameters).swarm
    XCTAssertEqual(derived.maxPendingShards, 8)
    XCTAssertEqual(derived.maxPendingBytes, 1_250_000, "one largest shard and a quarter for its metadata")
    XCTAssertEqual(derived.maxSnapshotBytes, 2_000_000)
    try parameters.override(["swarm.max_pending_bytes=3000000", "swarm.max_snapshot_bytes=5e6"])
    let set = try NodeConfiguration(parameters: parameters).swarm
    XCTAssertEqual(set.maxPendingBytes, 3_000_000)
    XCTAssertEqual(set.maxSnapshotBytes, 5_000_000)
    for (assignment, message) in [
      ("swarm.max_pending_shards=0", "swarm.max_pending_shards: 0.0 is not a whole number in 1...1048576"),
      ("swarm.max_pending_shards=1.5", "swarm.max_pending_shards: 1.5 is not a whole number"),
      ("swarm.max_pending_bytes=999999", "swarm.max_pending_bytes: 999999 must be at least swarm.max_shard_bytes = 1000000"),
      ("swarm.max_pending_bytes=1e300", "swarm.max_pending_bytes: 1e+300 is not a whole number"),
      ("swarm.max_snapshot_bytes=100", "swarm.max_snapshot_bytes: 100.0 is not a whole number in 65536..."),
      ("swarm.max_snapshot_bytes=.nan", "swarm.max_snapshot_bytes: nan is not a whole number"),
    ] {
      var bad = parameters
      try bad.override([assignment])
      XCTAssertThrowsError(try NodeConfiguration(parameters: bad), assignment) { error in
        XCTAssertTrue("\(error)".contains(message), "\(assignment): \(error)")
      }
    }
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
