import Foundation
import Learner
import Proto

/// Swarm sharing on the I/O thread: publish a replay shard for every class the node learns,
/// reassemble peers' shards, check them against this node's frozen base, learn unknown classes
/// from them, and serve or fetch snapshots for late joiners.
extension NodeRuntime {
  /// Opens the swarm sockets (and the ZAP handler) in the node's context; logs the security mode.
  func startSwarm(_ sockets: NodeSockets) throws {
    let settings = configuration.swarm
    let swarmSockets = try SwarmSockets(
      context: sockets.context, configuration: settings, maxMessageBytes: configuration.limits.maxPayloadBytes, logger: logger)
    let current = model.current
    let state = SwarmState(configuration: settings, sockets: swarmSockets, version: current.version, classes: current.classes)
    if let peers = swarmSockets.peers { state.peersIndex = sockets.poller.add(peers) }
    if let control = swarmSockets.control { state.controlIndex = sockets.poller.add(control) }
    if let keys = swarmSockets.keys {
      logger.info(
        "security: CURVE on the swarm sockets, public key \(keys.publicKey), \(keys.allowed.count) allowed peer keys (\(keys.allowed.keys.sorted().joined(separator: ", ")))")
    } else {
      logger.info("security: none (CURVE keys not configured), traffic is in the clear")
    }
    if !swarmSockets.endpoints.isEmpty || !settings.peers.isEmpty {
      let bound = swarmSockets.endpoints.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.joined(separator: ","))" }
      logger.info(
        "swarm: \((bound + (settings.peers.isEmpty ? [] : ["peers " + settings.peers.map(\.description).joined(separator: ",")])).joined(separator: "; ")); base fingerprint \(current.baseFingerprint)")
    }
    if let peer = settings.snapshotFrom {
      state.snapshotPeer = peer
      state.snapshotDeadline = Clock.monotonicSeconds() + settings.snapshotTimeout
    }
    swarm = state
  }

  /// One loop turn: read peers' chunks and snapshot traffic, publish shards of newly learned
  /// classes, hand the next pending shard to the worker, and send the heartbeat.
  func serviceSwarm(_ ready: [Bool], output: ZMQSocket) throws {
    guard let swarm else { return }
    let now = Clock.monotonicSeconds()
    var quiet = true
    if let index = swarm.peersIndex, ready[index], let peers = swarm.sockets.peers {
      for _ in 0..<NodeRuntime.batchPerTurn {
        guard let frames = try peers.receive(dontWait: true) else { break }
        quiet = false
        swarm.churnSinceTrim += frames.reduce(0) { $0 + $1.count }
        receivePeerChunk(frames, swarm)
      }
    }
    if let index = swarm.controlIndex, ready[index], let control = swarm.sockets.control {
      try serveSwarmControl(control, swarm)
    }
    try serviceSnapshotRequest(swarm, now: now)
    let held = swarm.assembler.pendingBytes
    for expired in swarm.assembler.expire(now: now) {
      refuseShard("shard_incomplete", "replay shard \(expired) never completed within \(swarm.configuration.shardTimeout) s")
    }
    swarm.churnSinceTrim += held - swarm.assembler.pendingBytes
    // What a burst of peer traffic freed stays in the allocator's arenas otherwise.
    if quiet, swarm.churnSinceTrim >= 16 << 20, now - swarm.lastTrim >= 1 {
      HeapTrim.release()
      swarm.churnSinceTrim = 0
      swarm.lastTrim = now
    }
    try publishNewClasses(swarm, output: output)
    scheduleShardLearning(swarm)
    if now - swarm.lastHeartbeat >= configuration.statusPeriod, let publisher = swarm.sockets.publisher {
      swarm.lastHeartbeat = now
      try publisher.send(topic: topics.status, payload: try buildStatus().serializedBytes(), dontWait: true)
    }
  }

  /// Closes the swarm sockets and the ZAP handler (before the context goes).
  func closeSwarm() {
    swarm?.sockets.close()
    swarm = nil
  }

  /// The swarm's part of the status: security mode and refusals.
  func applySwarmStatus(_ status: inout R4ncl_V1_NodeStatus) {
    guard let swarm else { return }
    status.secure = swarm.sockets.keys != nil
    status.authRefusals = swarm.sockets.zap?.counts.current.refused ?? 0
  }

  /// Every chunk of the shards this node published (for snapshots).
  var swarmSnapshotShards: [R4ncl_V1_ReplayShard] { swarm?.published.flatMap(\.chunks) ?? [] }

  // MARK: - Receiving

  /// One message on the peer SUB: a configured peer's heartbeat or replay chunk, by exact topic
  /// (the subscriptions are prefixes, so `<peer>/replayX` arrives too and is refused).
  private func receivePeerChunk(_ frames: [[UInt8]], _ swarm: SwarmState) {
    guard frames.count == 2 else {
      return refuseShard(RejectionReason.badFrames.rawValue, "\(frames.count) frames", input: "peer message")
    }
    switch swarm.peerTopics[String(decoding: frames[0], as: UTF8.self)] {
    case nil:
      refuseShard(RejectionReason.unknownTopic.rawValue, "topic \"\(WireText.line(frames[0]))\"", input: "peer message")
    case .heartbeat(let peer)?:
      receiveHeartbeat(frames[1], from: peer, swarm)
    case .replay(let peer)?:
      switch WireDecoder.decode(R4ncl_V1_ReplayShard.self, from: frames[1], maxBytes: configuration.limits.maxPayloadBytes + 65536) {
      case .failure(let reason): refuseShard(reason.rawValue, "replay chunk from \(peer) does not decode", input: "peer message")
      case .success(let chunk): takeChunk(chunk, swarm)
      }
    }
  }

  /// Feeds one chunk (from a peer or a snapshot) to the assembler and acts on the outcome.
  func takeChunk(_ chunk: R4ncl_V1_ReplayShard, _ swarm: SwarmState) {
    switch swarm.assembler.add(chunk, now: Clock.monotonicSeconds()) {
    case .partial:
      break
    case .duplicate:
      if chunk.chunkIndex == 0 { countShard("shard_duplicate") }
    case .refused(let reason, let detail):
      refuseShard(reason, "replay shard from \(WireText.line(chunk.node)) refused: \(detail)")
    case .complete(let shard):
      swarm.shardBytesReceived += shard.payloadBytes
      accept(shard, swarm)
    }
  }

  /// Checks a complete shard against this node and queues the classes to learn. Each of the
  /// shard's classes is decided against the local classes and the ones already chosen from
  /// this shard (the assembler refused repeated ids or names already).
  private func accept(_ shard: ReplayShardContent, _ swarm: SwarmState) {
    let current = model.current
    let origin = "replay shard \(WireText.line(shard.shardID)) from \(WireText.line(shard.node))"
    guard shard.baseFingerprint == current.baseFingerprint else {
      return refuseShard(
        "shard_fingerprint_mismatch",
        "\(origin) refused: its base fingerprint \(WireText.line(shard.baseFingerprint)) differs from ours \(current.baseFingerprint) (another frozen base, config or T)")
    }
    guard let memory = (current as? SpikingClassifier)?.swarmReplay else {
      return refuseShard("shard_unsupported", "\(origin): this node's model does not learn with latent replay")
    }
    guard shard.depth == memory.store.depth, shard.timesteps == memory.store.timesteps, shard.width == memory.width else {
      return refuseShard(
        "shard_shape_mismatch",
        "\(origin) is d=\(shard.depth) \(shard.timesteps)x\(shard.width), our replay is d=\(memory.store.depth) \(memory.store.timesteps)x\(memory.width)")
    }
    if let long = shard.classes.ids.first(where: { (shard.classes.name(of: $0) ?? "").utf8.count > configuration.limits.maxNameBytes }) {
      return refuseShard(
        "shard_malformed",
        "\(origin): class \(long)'s name is longer than limits.max_name_bytes = \(configuration.limits.maxNameBytes)")
    }
    let latents: [LatentSample]
    do { latents = try shard.latents() } catch {
      return refuseShard("shard_malformed", "\(origin): \(WireText.line("\(error)", limit: 200))")
    }
    var local = current.classes.merging(spool.announced)
    for queued in swarm.pending { local = local.merging(queued.classes) }
    if let learning = swarm.learningFromPeer { local = local.merging(learning) }
    var learn = ClassMap()
    for id in shard.classes.ids {
      let name = shard.classes.name(of: id) ?? ""
      switch ClassAgreement.decide(id: id, name: name, local: local.merging(learn), capacity: classCapacity) {
      case .learn(let id, let name):
        learn.set(id, name: name)
      case .known:
        countShard("shard_known_class")
      case .keepOurs(let ours, let theirs):
        countShard("shard_known_class")
        if swarm.noteKeptId(ours: ours, theirs: theirs) {
          logger.info(
            "\"\(WireText.line(name))\" is class \(ours) here and \(theirs) at \(WireText.line(shard.node)): the lower id \(ours) wins, \(WireText.line(shard.node)) moves")
        }
      case .moveOurs(let from, let to):
        countShard("shard_known_class")
        if !swarm.pendingMoves.contains(where: { $0.from == from && $0.to == to }) {
          swarm.pendingMoves.append((from, to, shard.node))
        }
      case .conflict(let why):
        refuseShard("shard_class_conflict", "\(origin): \(WireText.line(why, limit: 200))")
      }
    }
    guard !learn.ids.isEmpty else { return }
    guard swarm.configuration.learnFromPeers else {
      logger.info("\(origin) carries new classes \(learn.ids); swarm.learn_from_peers is off")
      return
    }
    let chosen = latents.filter { learn.name(of: $0.label ?? -1) != nil }
    swarm.pending.append((shard, learn, chosen))
    logger.info(
      "\(origin): \(shard.samples.count) latents, \(shard.payloadBytes) bytes; will learn \(learn.ids.map { "\($0) \"\(WireText.line(learn.name(of: $0)!))\"" }.joined(separator: ", "))")
    statusDirty = true
  }

  /// Starts learning the next pending shard when the worker is idle (after pending class moves).
  private func scheduleShardLearning(_ swarm: SwarmState) {
    if !learningScheduled { swarm.learningFromPeer = nil }
    guard !learningScheduled, lifecycle == .serving else { return }
    while !swarm.pendingMoves.isEmpty { moveClass(swarm.pendingMoves.removeFirst()) }
    guard !swarm.pending.isEmpty else { return }
    let (shard, classes, latents) = swarm.pending.removeFirst()
    let current = model.current
    var fresh = ClassMap()
    for id in classes.ids where current.classes.name(of: id) == nil { fresh.set(id, name: classes.name(of: id)!) }
    guard !fresh.ids.isEmpty else { return countShard("shard_known_class") }
    let job = ScheduledJob(
      job: LearningJob(newClasses: fresh, samples: [], latents: latents.filter { fresh.name(of: $0.label ?? -1) != nil }),
      model: current, classes: Set(fresh.ids), watermark: 0)
    learningScheduled = true
    swarm.learningFromPeer = fresh
    lifecycle = .learning
    statusDirty = true
    logger.info("learning classes \(fresh.ids) from \(job.job.latents.count) latents of \(WireText.line(shard.node))'s replay shard (no raw samples)")
    _ = worker.jobs.push(job)
  }

  /// Moves a learned class to the lower id a peer gave the same name: readout column, class
  /// map and replay latents; the new model version is then published like a learned one.
  private func moveClass(_ move: (from: Int, to: Int, peer: String)) {
    guard let current = model.current as? SpikingClassifier, current.swarmReplay != nil,
      let name = current.classes.name(of: move.from), current.classes.name(of: move.to) == nil,
      spool.announced.name(of: move.to) == nil
    else { return }
    do {
      let moved = try current.movingClass(move.from, to: move.to)
      model.withLock { $0 = moved }
      statusDirty = true
      logger.info(
        "class \"\(WireText.line(name))\" moved from id \(move.from) to \(move.to), the lower id peer \(WireText.line(move.peer)) gave it (class ids are agreed by name): model v\(moved.version)")
    } catch {
      refuseShard("shard_class_conflict", "moving \"\(WireText.line(name))\" from \(move.from) to \(move.to) failed: \(error)")
    }
  }

  // MARK: - Publishing

  /// After a model swap: a shard per newly known class, from the model's replay memory.
  private func publishNewClasses(_ swarm: SwarmState, output: ZMQSocket) throws {
    let current = model.current
    guard current.version != swarm.seenVersion else { return }
    var learned = ClassMap()
    for id in current.classes.ids where swarm.seenClasses.name(of: id) == nil {
      learned.set(id, name: current.classes.name(of: id)!)
    }
    swarm.seenVersion = current.version
    swarm.seenClasses = current.classes
    guard swarm.configuration.publish, !learned.ids.isEmpty, let memory = (current as? SpikingClassifier)?.swarmReplay else { return }
    let store = memory.store
    let held = ClassMap(Dictionary(uniqueKeysWithValues: learned.ids.filter { store.sampleCount(ofClass: $0) > 0 }.map { ($0, learned.name(of: $0)!) }))
    guard !held.ids.isEmpty else { return }
    // Every latent the node learned the classes from when it still has them, else the kept ones
    // (both encoded with the store's codec, bytes as they are).
    let learnedLatents = held.ids.map { memory.learnedLatents(ofClass: $0) }
    let samples = learnedLatents.allSatisfy { $0 != nil } ? learnedLatents.map { $0! } : held.ids.map { store.encoded(ofClass: $0) }
    let names = held.ids.map { "\($0)" }.joined(separator: "+")
    let shard = ReplayShardContent(
      node: topics.namespace, shardID: "\(topics.namespace):v\(current.version):\(names)", classes: held, depth: store.depth,
      timesteps: store.timesteps, width: memory.width, codec: store.codec.name, baseFingerprint: current.baseFingerprint,
      modelVersion: current.version, samples: samples.flatMap { $0 },
      labels: zip(held.ids, samples).flatMap { id, list in [Int](repeating: id, count: list.count) })
    let chunks = shard.chunks(maxChunkBytes: swarm.configuration.chunkBytes)
    let socket = swarm.sockets.publisher ?? output
    var wire = 0
    for chunk in chunks {
      let bytes: [UInt8] = try chunk.serializedBytes()
      wire += bytes.count + topics.replay.utf8.count
      try socket.send(topic: topics.replay, payload: bytes, dontWait: true)
    }
    swarm.shardBytesPublished += wire
    swarm.published.removeAll { $0.shardID == shard.shardID }
    swarm.published.append((shard.shardID, chunks))
    logger.info(
      "published replay shard \(shard.shardID): classes \(held.ids), \(shard.samples.count) latents (\(shard.codec), d = \(shard.depth)), \(shard.payloadBytes) payload bytes in \(chunks.count) chunks, \(wire) bytes on the wire")
  }

  // MARK: - Snapshots

  /// The swarm control socket answers status and snapshot requests only.
  private func serveSwarmControl(_ socket: ZMQSocket, _ swarm: SwarmState) throws {
    guard let frames = try socket.receive(dontWait: true) else { return }
    var reply = R4ncl_V1_ControlReply()
    if frames.count == 1,
      case .success(let request) = WireDecoder.decode(R4ncl_V1_ControlRequest.self, from: frames[0], maxBytes: configuration.limits.maxPayloadBytes)
    {
      reply.id = request.id
      switch request.command {
      case .status: reply.ok = true
      case .snapshot(let ask):
        reply.ok = true
        reply.snapshot = makeSnapshot(includeShards: ask.includeShards)
      default:
        reply.error = "the swarm control socket answers status and snapshot requests only"
      }
    } else {
      reply.error = "not a ControlRequest"
    }
    reply.status = buildStatus()
    try socket.send([try reply.serializedBytes()])
  }

  /// The latest model, class map and (optionally) published shards.
  func makeSnapshot(includeShards: Bool) -> R4ncl_V1_Snapshot {
    var snapshot = R4ncl_V1_Snapshot()
    let current = model.current
    snapshot.checkpoint = current.checkpoint()
    snapshot.checkpoint.node = topics.namespace
    snapshot.classes = current.classes.entries
    if includeShards { snapshot.shards = swarmSnapshotShards }
    return snapshot
  }

  /// The start-up snapshot: (re)sent every 2 s until a reply comes or the deadline passes.
  /// A reply over `swarm.max_snapshot_bytes` never arrives: ZeroMQ drops the connection,
  /// counted as `snapshot_dropped`, and the next attempt asks again.
  private func serviceSnapshotRequest(_ swarm: SwarmState, now: Double) throws {
    guard let peer = swarm.snapshotPeer else { return }
    if let socket = swarm.sockets.snapshot, let frames = try socket.receive(dontWait: true) {
      swarm.churnSinceTrim += frames.reduce(0) { $0 + $1.count }
      swarm.snapshotPeer = nil
      swarm.sockets.closeSnapshot()
      guard frames.count == 1, let reply = try? R4ncl_V1_ControlReply(serializedBytes: frames[0]), reply.ok else {
        return refuseShard("snapshot_invalid", "snapshot from \(peer) is not a valid reply", input: "snapshot")
      }
      let snapshot = reply.snapshot
      guard snapshot.checkpoint.baseFingerprint == model.current.baseFingerprint else {
        return refuseShard(
          "snapshot_fingerprint_mismatch",
          "snapshot from \(peer) refused: base fingerprint \(WireText.line(snapshot.checkpoint.baseFingerprint)), ours \(model.current.baseFingerprint)",
          input: "snapshot")
      }
      logger.info(
        "snapshot from \(peer): model v\(snapshot.checkpoint.modelVersion), \(snapshot.classes.count) classes, \(snapshot.shards.count) shard chunks")
      for chunk in snapshot.shards { takeChunk(chunk, swarm) }
      return
    }
    if try swarm.sockets.snapshotDropped() {
      refuseShard(
        "snapshot_dropped",
        "the connection to \(peer) closed before its snapshot reply arrived (the peer hung up, or its reply was over swarm.max_snapshot_bytes = \(swarm.configuration.maxSnapshotBytes))",
        input: "snapshot")
    }
    if now > swarm.snapshotDeadline {
      swarm.snapshotPeer = nil
      swarm.sockets.closeSnapshot()
      lastError = "no snapshot from \(peer) within \(swarm.configuration.snapshotTimeout) s"
      logger.warning("\(lastError)")
      statusDirty = true
      return
    }
    guard now - swarm.snapshotSent >= 2 else { return }
    // A REQ socket cannot resend before a reply: a fresh socket per attempt.
    let socket = try swarm.sockets.openSnapshot(peer)
    var request = R4ncl_V1_ControlRequest()
    request.id = UInt64(Clock.nowNanoseconds())
    var ask = R4ncl_V1_SnapshotRequest()
    ask.includeShards = true
    request.snapshot = ask
    _ = try socket.send([try request.serializedBytes()], dontWait: true)
    swarm.snapshotSent = now
    if swarm.snapshotDeadline - now > swarm.configuration.snapshotTimeout - 1 {
      logger.info("asking \(peer) for a snapshot")
    }
  }

  // MARK: - Counting

  /// Counts a refused `input` message (a replay shard, a peer message, a snapshot) under
  /// `reason` and shows why in status; the log names the first of each reason at once and
  /// summarises the rest (the rejection log), so a flooding peer cannot flood the log. Text
  /// from the wire in `message` must already be escaped (`WireText.line`).
  func refuseShard(_ reason: String, _ message: String, input: String = "replay shard") {
    countShard(reason)
    lastError = message
    if let line = rejectionLog.record(named: reason, input: input, now: Clock.monotonicSeconds(), detail: message) {
      logger.warning("\(line)")
    }
  }

  func countShard(_ reason: String) {
    counters.withLock { $0.rejected[reason, default: 0] += 1 }
    statusDirty = true
  }
}
