import Foundation
import Proto

extension NodeRuntime {
  /// Publishes a status when the period elapsed or something changed (at most every 20 ms
  /// for changes, so a chatty learner cannot flood the topic).
  func publishStatusIfDue(_ socket: ZMQSocket) throws {
    let now = Clock.monotonicSeconds()
    if worker.state.current.active && lifecycle == .serving { lifecycle = .learning }
    if now - lastStatusTime >= configuration.statusPeriod || (statusDirty && now - lastStatusTime >= 0.02)
      || (workerProgressChanged() && now - lastStatusTime >= 0.02)
    {
      try publishStatus(socket)
    }
  }

  private func workerProgressChanged() -> Bool { worker.state.current.active }

  func publishStatus(_ socket: ZMQSocket) throws {
    statusSequence += 1
    let status = buildStatus()
    try socket.send(topic: topics.status, payload: try status.serializedBytes(), dontWait: true)
    recordPublished(status)
    statusDirty = false
    lastStatusTime = Clock.monotonicSeconds()
  }

  /// The node's state now, as published on `<ns>/status`.
  func buildStatus() -> R4ncl_V1_NodeStatus {
    let current = model.current
    let c = counters.current
    let learning = worker.state.current
    var status = R4ncl_V1_NodeStatus()
    status.node = topics.namespace
    status.sequence = statusSequence
    status.timeNs = Clock.nowNanoseconds()
    status.state = lifecycle
    status.modelVersion = current.version
    status.classes = current.classes.entries
    status.received = c.received
    status.predicted = c.predicted
    status.dropped = c.droppedTotal
    status.rejected = c.rejectedTotal
    status.droppedByReason = c.dropped.sorted { $0.key < $1.key }.map { reasonCount($0.key, $0.value) }
    status.rejectedByReason = c.rejected.sorted { $0.key < $1.key }.map { reasonCount($0.key, $0.value) }
    status.labelsAcknowledged = c.labelsAcknowledged
    status.spooledPerClass = spool.countsPerClass.sorted { $0.key < $1.key }.map { id, count in
      var entry = R4ncl_V1_ClassCount()
      entry.classID = Int32(id)
      entry.count = UInt64(count)
      return entry
    }
    var pending = ClassMap()
    for id in spool.announced.ids where current.classes.name(of: id) == nil {
      pending.set(id, name: spool.announced.name(of: id) ?? "")
    }
    status.pendingClasses = pending.entries
    var progress = R4ncl_V1_LearningProgress()
    progress.active = learning.active
    progress.classIds = learning.classIDs.map(Int32.init)
    progress.phase = learning.update.phase
    progress.epoch = UInt32(clamping: learning.update.epoch)
    progress.epochs = UInt32(clamping: learning.update.epochs)
    progress.fraction = learning.update.fraction
    if let loss = learning.update.loss { progress.loss = loss }
    progress.startedTimeNs = learning.startedTimeNs
    progress.lastDurationS = learning.lastDuration
    progress.completedRuns = UInt32(clamping: learning.completedRuns)
    status.learning = progress
    var queues = R4ncl_V1_QueueDepths()
    queues.predictionQueue = UInt32(clamping: predictionQueue.count)
    queues.predictionCapacity = UInt32(clamping: predictionQueue.capacity)
    queues.spooledSamples = UInt32(clamping: spool.sampleCount)
    queues.learningQueue = UInt32(clamping: worker.jobs.count + (learningScheduled ? 1 : 0))
    status.queues = queues
    status.sequenceGaps = c.sequenceGaps
    status.baseFingerprint = current.baseFingerprint
    applySwarmStatus(&status)
    status.lastError = lastError
    status.uptimeS = Clock.monotonicSeconds() - startTime
    status.lastCheckpointPath = lastCheckpointPath
    status.rejectedSamples = c.rejectedSpikes
    status.labelsDuplicate = c.labelsDuplicate
    status.labelEvents = c.labelEvents
    status.teachers = teacherLedgers.ledgers
    return status
  }

  private func reasonCount(_ reason: String, _ count: UInt64) -> R4ncl_V1_ReasonCount {
    var entry = R4ncl_V1_ReasonCount()
    entry.reason = reason
    entry.count = count
    return entry
  }
}
