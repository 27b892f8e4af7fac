import Foundation
import Proto

extension NodeRuntime {
  /// Answers one request on the REP socket (strict request/reply: exactly one reply each).
  func serveControl(_ socket: ZMQSocket) throws {
    guard let frames = try socket.receive(dontWait: true) else { return }
    var reply = R4ncl_V1_ControlReply()
    reply.ok = true
    if frames.count != 1 {
      reject(.badFrames, input: "control request", detail: "\(frames.count) frames")
      reply.ok = false
      reply.error = "expected one frame, got \(frames.count)"
    } else {
      switch WireDecoder.decode(R4ncl_V1_ControlRequest.self, from: frames[0], maxBytes: configuration.limits.maxPayloadBytes) {
      case .failure(let reason):
        reject(reason, input: "control request", detail: "\(frames[0].count) bytes")
        reply.ok = false
        reply.error = "rejected: \(reason.rawValue)"
      case .success(let request):
        reply.id = request.id
        execute(request, into: &reply)
      }
    }
    reply.status = buildStatus()
    try socket.send([try reply.serializedBytes()])
  }

  private func execute(_ request: R4ncl_V1_ControlRequest, into reply: inout R4ncl_V1_ControlReply) {
    func fail(_ message: String) {
      reply.ok = false
      reply.error = message
    }
    switch request.command {
    case nil:
      fail("no command set")
    case .status:
      break
    case .saveCheckpoint(let save):
      guard !save.path.utf8.contains(0) else { return fail("the path contains a NUL byte") }
      let current = model.current
      do {
        if !save.path.isEmpty {
          try CheckpointStore.writeAtomically(current, node: topics.namespace, to: save.path)
          reply.checkpointPath = save.path
        } else if let store {
          reply.checkpointPath = try store.save(current, node: topics.namespace)
        } else {
          return fail("no path given and no checkpoint.dir configured")
        }
        lastCheckpointPath = reply.checkpointPath
      } catch { fail("\(error)") }
    case .learnNow(let request):
      for id in request.classIds where knownClasses.name(of: Int(id)) == nil {
        return fail("unknown class \(id)")
      }
      learnNowPending = request
      maybeScheduleLearning()
    case .loadCheckpoint(let load):
      guard !load.path.utf8.contains(0) else { return fail("the path contains a NUL byte") }
      do {
        let loaded = try NodeCheckpointFile.read(load.path, loader: loader)
        guard loaded.channelCount == configuration.limits.channelCount else {
          throw NodeError.incompatibleModel("\(load.path) has \(loaded.channelCount) channels, node has \(configuration.limits.channelCount)")
        }
        model.withLock { $0 = loaded }
        reply.checkpointPath = load.path
        statusDirty = true
        logger.info("loaded \(WireText.line(load.path, limit: 200)): model v\(loaded.version)")
      } catch { fail("\(error)") }
    case .shutdown(let shutdown):
      logger.info("shutdown requested over control: \(WireText.line(shutdown.reason, limit: 200))")
      shutdownRequested.withLock { $0 = true }
    case .snapshot(let ask):
      reply.snapshot = makeSnapshot(includeShards: ask.includeShards)
    }
  }
}
