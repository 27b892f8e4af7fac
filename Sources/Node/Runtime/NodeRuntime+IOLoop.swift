import Foundation
import Learner
import Proto

extension NodeRuntime {
  /// Most messages taken from one socket per loop turn, so no input starves the others.
  static let batchPerTurn = 256

  func runIOLoop() {
    guard let sockets else { return }
    do {
      try loadSpoolState()
      setLifecycle(.serving)
      maybeScheduleLearning()
      while !shutdownRequested.current {
        let untilHeartbeat = lastStatusTime + configuration.statusPeriod - Clock.monotonicSeconds()
        // Samples still queued (inline prediction over its time budget): only look, never wait.
        let backlog = !configuration.predictionThread && predictionQueue.count > 0
        let timeout = backlog ? 0 : min(100, Int(Clock.milliseconds(untilHeartbeat)))
        let ready = try sockets.poller.poll(timeoutMilliseconds: timeout)
        if ready[3] { wake.drain() }
        if ready[0] { try receiveSpikes(sockets.spikes) }
        if !configuration.predictionThread { try predictInline(sockets.output, budget: NodeRuntime.inlineBudget) }
        if ready[1] { try receiveLabels(sockets.labels) }
        if ready[2] { try serveControl(sockets.control) }
        try serviceSwarm(ready, output: sockets.output)
        try flushOutbox(sockets.output)
        try collectLearningOutcomes(sockets.output)
        try publishStatusIfDue(sockets.output)
        logRejectionSummaryIfDue()
      }
      try drain(sockets)
    } catch let error as ZMQError where error.isTerminated {
      logger.info("context terminated")
    } catch {
      logger.error("I/O loop failed: \(error)")
      lastError = "\(error)"
      setLifecycle(.failed)
      try? publishStatus(sockets.output)
      predictionQueue.close()
      worker.stop()
    }
    closeSwarm()
    sockets.close()
    self.sockets = nil
  }

  /// Restores counters of labels that were spooled before a restart.
  private func loadSpoolState() throws {
    let spooled = UInt64(spool.sampleCount)
    if spooled > 0 {
      counters.withLock { $0.labelsAcknowledged = spooled }
      logger.info("label spool: \(spooled) samples of classes \(spool.countsPerClass.keys.sorted()) restored")
    }
  }

  // MARK: - Spikes

  func receiveSpikes(_ socket: ZMQSocket) throws {
    for _ in 0..<NodeRuntime.batchPerTurn {
      guard let frames = try socket.receive(dontWait: true) else { return }
      let receivedTime = Clock.nowNanoseconds()
      counters.withLock { $0.received += 1 }
      switch acceptSpikes(frames) {
      case .failure(let reason):
        reject(
          reason, input: "spike sample", spike: true,
          detail: NodeRuntime.topicText(frames) + (reason == .outsideWindow ? "; \(windowText)" : ""))
      case .success(let message):
        trackSequence(message)
        if predictionQueue.push(PendingSample(message: message, receivedTimeNs: receivedTime)) != nil {
          counters.withLock { $0.drop("prediction_queue_full") }
        }
      }
    }
  }

  private func acceptSpikes(_ frames: [[UInt8]]) -> Result<R4ncl_V1_SpikeSample, RejectionReason> {
    guard frames.count == 2 else { return .failure(.badFrames) }
    guard let sensor = topics.sensor(ofSpikeTopic: String(decoding: frames[0], as: UTF8.self)) else {
      return .failure(.unknownTopic)
    }
    let decoded = WireDecoder.decode(R4ncl_V1_SpikeSample.self, from: frames[1], maxBytes: configuration.limits.maxPayloadBytes)
    guard case .success(var message) = decoded else { return decoded }
    var limits = configuration.limits
    limits.binning = model.current.binning
    if let problem = SpikeSampleValidator(limits: limits).problem(in: message, topicSensor: sensor) {
      return .failure(problem)
    }
    if message.sensor.isEmpty { message.sensor = sensor }
    return .success(message)
  }

  /// Most sensors whose last sequence number is remembered for gap counting.
  static let maxTrackedSensors = 1024

  /// A forward jump longer than this is a sensor that renumbered (restarted, or a forged
  /// sequence number), not samples lost: one sample with sequence 2^64 - 1 would otherwise pin
  /// the gap count at its maximum for good.
  static let longestCountedGap: UInt64 = 1_000_000

  private func trackSequence(_ message: R4ncl_V1_SpikeSample) {
    // Sequence numbers come from the wire: any value is possible (UInt64.max included), so
    // neither the gap nor the running total may overflow (the total saturates).
    if let last = lastSequence[message.sensor], message.sequence > last, message.sequence - last > 1,
      message.sequence - last - 1 <= NodeRuntime.longestCountedGap
    {
      let gap = message.sequence - last - 1
      counters.withLock {
        let (sum, overflow) = $0.sequenceGaps.addingReportingOverflow(gap)
        $0.sequenceGaps = overflow ? .max : sum
      }
    }
    if lastSequence[message.sensor] == nil && lastSequence.count >= NodeRuntime.maxTrackedSensors {
      lastSequence.remove(at: lastSequence.startIndex)  // bounded: a flood of sensor names cannot grow it
    }
    lastSequence[message.sensor] = message.sequence
  }

  // MARK: - Publishing

  func flushOutbox(_ socket: ZMQSocket) throws {
    var predictions: UInt64 = 0
    while let message = outbox.tryPop() {
      try socket.send(topic: message.topic, payload: message.payload, dontWait: true)
      if message.isPrediction { predictions += 1 }
    }
    if predictions > 0 { counters.withLock { $0.predicted += predictions } }
  }

  /// Longest stretch of inline predictions before the loop serves the other sockets, seconds.
  static let inlineBudget = 0.005

  /// Classifies queued samples on the I/O thread and publishes their predictions at once (no
  /// thread hand-off), until the queue is empty or `budget` seconds passed. Bursts beyond the
  /// queue's capacity were already dropped, oldest first, and counted by `receiveSpikes`.
  func predictInline(_ socket: ZMQSocket, budget: Double) throws {
    let start = Clock.monotonicSeconds()
    var predictions: UInt64 = 0
    defer { if predictions > 0 { counters.withLock { $0.predicted += predictions } } }
    while let item = predictionQueue.tryPop() {
      let prediction = Predictor.predict(item, with: model.current)
      guard let payload: [UInt8] = try? prediction.serializedBytes() else { continue }
      if try socket.send(topic: topics.predictions, payload: payload, dontWait: true) {
        predictions += 1
      } else {
        counters.withLock { $0.drop("output_hwm") }
      }
      if Clock.monotonicSeconds() - start >= budget { return }
    }
  }

  func collectLearningOutcomes(_ socket: ZMQSocket) throws {
    while let outcome = worker.outcomes.tryPop() {
      learningScheduled = false
      switch outcome {
      case .finished(let job, let newModel, let checkpoint, let path, let seconds):
        model.withLock { $0 = newModel }
        learningFailedAtWatermark = nil
        lastCheckpointPath = path ?? lastCheckpointPath
        try socket.send(topic: topics.checkpoints, payload: try checkpoint.serializedBytes(), dontWait: true)
        do { try spool.compact(classes: job.classes, before: job.watermark) } catch {
          lastError = "\(error)"
          logger.error("\(error)")
        }
        logger.info(
          "learned classes \(job.classes.sorted()) from \(job.job.latents.isEmpty ? "\(job.job.samples.count) samples" : "\(job.job.latents.count) peer latents") in \(String(format: "%.2f", seconds)) s: model v\(newModel.version)")
      case .failed(let job, let error):
        learningFailedAtWatermark = job.watermark
        lastError = "learning classes \(job.classes.sorted()) failed: \(error)"
        logger.error("\(lastError)")
      }
      if lifecycle == .learning { lifecycle = .serving }
      statusDirty = true
      maybeScheduleLearning()
    }
  }

  // MARK: - Drain

  private func drain(_ sockets: NodeSockets) throws {
    setLifecycle(.draining)
    try publishStatus(sockets.output)
    // No new input: close the SUB sockets, answer what is queued, stop learning.
    sockets.spikes.close()
    sockets.labels.close()
    predictionQueue.close()
    if configuration.predictionThread { predictor.join() } else { try predictInline(sockets.output, budget: .infinity) }
    try flushOutbox(sockets.output)
    worker.stop()
    try collectLearningOutcomes(sockets.output)
    if let store {
      do {
        lastCheckpointPath = try store.save(model.current, node: topics.namespace)
        logger.info("final checkpoint \(lastCheckpointPath)")
      } catch {
        lastError = "\(error)"
        logger.error("final checkpoint failed: \(error)")
      }
    }
    setLifecycle(.stopped)
    // Give the last status time to leave before the socket closes.
    try sockets.output.setLinger(500)
    try publishStatus(sockets.output)
  }

  func setLifecycle(_ state: R4ncl_V1_LifecycleState) {
    if lifecycle != state {
      lifecycle = state
      statusDirty = true
    }
  }
}
