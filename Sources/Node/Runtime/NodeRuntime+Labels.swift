import Foundation
import Learner
import Proto

extension NodeRuntime {
  /// Classes label events may name: those of the model and those announced.
  var knownClasses: ClassMap { model.current.classes.merging(spool.announced) }

  func receiveLabels(_ socket: ZMQSocket) throws {
    for _ in 0..<NodeRuntime.batchPerTurn {
      guard let frames = try socket.receive(dontWait: true) else { return }
      counters.withLock { $0.labelEvents += 1 }
      if let reason = handleLabel(frames) {
        reject(reason, input: "label event", detail: labelEventText(frames, reason))
        statusDirty = true
      }
    }
  }

  /// Spools and applies one label event; returns the rejection reason if it is refused.
  private func handleLabel(_ frames: [[UInt8]]) -> RejectionReason? {
    guard frames.count == 2 else { return .badFrames }
    guard String(decoding: frames[0], as: UTF8.self) == topics.labels else { return .unknownTopic }
    let event: R4ncl_V1_LabelEvent
    switch WireDecoder.decode(R4ncl_V1_LabelEvent.self, from: frames[1], maxBytes: configuration.limits.maxPayloadBytes) {
    case .failure(let reason): return reason
    case .success(let decoded): event = decoded
    }
    if let problem = LabelEventValidator(limits: configuration.limits).problem(in: event, classes: knownClasses) {
      return problem
    }
    switch event.event {
    case .announce(let announce):
      // Already known under the same name: nothing to remember (unless it promises samples).
      if model.current.classes.name(of: Int(announce.classID)) == announce.name { return nil }
      if spool.announced.name(of: Int(announce.classID)) == announce.name && announce.expectedSamples == 0 { return nil }
      guard persist(event) else { return nil }
      let promised = announce.expectedSamples > 0 ? " (\(announce.expectedSamples) samples to follow)" : ""
      logger.info("class \(announce.classID) \"\(announce.name)\" announced by \(event.teacher)\(promised)")
    case .samples(let batch):
      guard persist(event) else { return nil }
      counters.withLock { $0.labelsAcknowledged += UInt64(batch.samples.count) }
    case .learnNow(let request):
      learnNowPending = request
    case nil:
      return .emptyEvent
    }
    statusDirty = true
    maybeScheduleLearning()
    return nil
  }

  /// What a rejected label event was, for the log: the event if it decodes and its topic was
  /// right, else the topic.
  private func labelEventText(_ frames: [[UInt8]], _ reason: RejectionReason) -> String {
    guard reason != .unknownTopic, frames.count == 2, case .success(let event) = WireDecoder.decode(
      R4ncl_V1_LabelEvent.self, from: frames[1], maxBytes: configuration.limits.maxPayloadBytes)
    else { return NodeRuntime.topicText(frames) }
    let from = "from \(event.teacher.isEmpty ? "an unnamed teacher" : event.teacher) #\(event.sequence)"
    let limit = reason == .classCapacity ? "; class ids must be below limits.class_capacity = \(configuration.limits.classCapacity)" : ""
    switch event.event {
    case .announce(let a): return "announcement of class \(a.classID) \"\(a.name)\" \(from)\(limit)"
    case .samples(let s): return "\(s.samples.count) samples of class \(s.classID) \(from)\(limit)"
    case .learnNow(let l): return "learn-now of classes \(l.classIds) \(from)"
    case nil: return "no event set, \(from)"
    }
  }

  /// Appends to the spool (fsync); a disk failure is logged and reported, the event is lost
  /// but not acknowledged.
  private func persist(_ event: R4ncl_V1_LabelEvent) -> Bool {
    do {
      try spool.append(event)
      return true
    } catch {
      lastError = "\(error)"
      logger.error("\(error)")
      counters.withLock { $0.drop("spool_write_failed") }
      return false
    }
  }

  /// Starts a learning run when the worker is idle and either a learn-now request is pending or
  /// an announced class reached `learning.min_samples` spooled samples and every sample its
  /// announcement promised (so `r4ncl label --count N` is learned as one batch of N).
  func maybeScheduleLearning() {
    guard !learningScheduled, lifecycle == .serving || lifecycle == .learning else { return }
    let current = model.current
    let counts = spool.countsPerClass
    var classes = Set<Int>()
    if let request = learnNowPending {
      learnNowPending = nil
      classes = request.classIds.isEmpty ? Set(counts.keys) : Set(request.classIds.map(Int.init))
    } else if configuration.learnMinSamples > 0, learningFailedAtWatermark != spool.watermark {
      for id in spool.announced.ids where current.classes.name(of: id) == nil
        && (counts[id] ?? 0) >= max(configuration.learnMinSamples, spool.awaitedSamples[id] ?? 0)
      {
        classes.insert(id)
      }
    }
    classes = classes.filter { (counts[$0] ?? 0) > 0 }
    guard !classes.isEmpty else { return }
    var newClasses = ClassMap()
    for id in classes where current.classes.name(of: id) == nil {
      if let name = spool.announced.name(of: id) { newClasses.set(id, name: name) }
    }
    let samples = classes.sorted().flatMap { spool.samples[$0]?.map(\.sample) ?? [] }
    let job = ScheduledJob(
      job: LearningJob(newClasses: newClasses, samples: samples), model: current, classes: classes,
      watermark: spool.watermark)
    learningScheduled = true
    lifecycle = .learning
    statusDirty = true
    logger.info("learning classes \(classes.sorted()) from \(samples.count) samples")
    _ = worker.jobs.push(job)
  }
}
