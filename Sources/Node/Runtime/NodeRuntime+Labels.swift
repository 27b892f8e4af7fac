import Foundation
import Learner
import Proto

extension NodeRuntime {
  /// Classes label events may name: those of the model and those announced.
  var knownClasses: ClassMap { model.current.classes.merging(spool.announced) }

  /// Class ids label events may use: `limits.class_capacity`, or the model's readout rows when
  /// it has fewer (a class beyond them could be spooled but never learned).
  var classCapacity: Int { min(configuration.limits.classCapacity, model.current.readoutRows ?? .max) }

  func receiveLabels(_ socket: ZMQSocket) throws {
    for _ in 0..<NodeRuntime.batchPerTurn {
      guard let frames = try socket.receive(dontWait: true) else { return }
      counters.withLock { $0.labelEvents += 1 }
      let outcome = handleLabel(frames)
      var problem = outcome.lost
      if let reason = outcome.rejection {
        let detail = labelEventText(frames, reason)
        reject(reason, input: "label event", detail: detail)
        problem = WireText.line("\(reason.rawValue) (\(detail))", limit: 300)
        statusDirty = true
      }
      if let event = outcome.event, !event.teacher.isEmpty, event.teacher.utf8.count <= configuration.limits.maxNameBytes {
        teacherLedgers.record(
          teacher: event.teacher, sequence: event.sequence, acknowledged: outcome.acknowledged, problem: problem)
        statusDirty = true
      }
    }
  }

  /// What became of one label event: the event if it decoded, the rejection reason if it was
  /// refused, the samples persisted, or why it was lost after validation (a spool write failure).
  private struct LabelOutcome {
    var event: R4ncl_V1_LabelEvent?
    var rejection: RejectionReason?
    var acknowledged = 0
    var lost: String?
  }

  /// Spools and applies one label event.
  private func handleLabel(_ frames: [[UInt8]]) -> LabelOutcome {
    guard frames.count == 2 else { return LabelOutcome(rejection: .badFrames) }
    guard String(decoding: frames[0], as: UTF8.self) == topics.labels else { return LabelOutcome(rejection: .unknownTopic) }
    let event: R4ncl_V1_LabelEvent
    switch WireDecoder.decode(R4ncl_V1_LabelEvent.self, from: frames[1], maxBytes: configuration.limits.maxPayloadBytes) {
    case .failure(let reason): return LabelOutcome(rejection: reason)
    case .success(let decoded): event = decoded
    }
    var outcome = LabelOutcome(event: event)
    var limits = configuration.limits
    limits.classCapacity = classCapacity
    limits.binning = model.current.binning
    if let problem = LabelEventValidator(limits: limits).problem(in: event, classes: knownClasses) {
      outcome.rejection = problem
      return outcome
    }
    // Serialized once for the repeat check, the spool bound and the spool itself.
    let serialized = (try? event.serializedBytes() as [UInt8]) ?? []
    if spool.contains(event, serialized: serialized) {
      // Received again (a resend, a replayed bag): the spool has it; acknowledge, keep one copy.
      let count = event.samples.samples.count
      outcome.acknowledged = count
      counters.withLock {
        $0.labelsAcknowledged += UInt64(count)
        $0.labelsDuplicate += UInt64(count)
      }
      return outcome
    }
    if spoolLimit(for: event, bytes: serialized.count) != nil {
      outcome.rejection = .spoolFull  // logged (rate-limited) and counted like every rejection
      return outcome
    }
    switch event.event {
    case .announce(let announce):
      // Already known under the same name: nothing to remember (unless it promises samples).
      if model.current.classes.name(of: Int(announce.classID)) == announce.name { return outcome }
      if spool.announced.name(of: Int(announce.classID)) == announce.name && announce.expectedSamples == 0 { return outcome }
      if let failure = persist(event, serialized) {
        outcome.lost = failure
        return outcome
      }
      let promised = announce.expectedSamples > 0 ? " (\(announce.expectedSamples) samples to follow)" : ""
      logger.info("class \(announce.classID) \"\(WireText.line(announce.name))\" announced by \(WireText.line(event.teacher))\(promised)")
    case .samples(let batch):
      if let failure = persist(event, serialized) {
        outcome.lost = failure
        return outcome
      }
      outcome.acknowledged = batch.samples.count
      counters.withLock { $0.labelsAcknowledged += UInt64(batch.samples.count) }
    case .learnNow(let request):
      learnNowPending = request
    case nil:
      outcome.rejection = .emptyEvent
      return outcome
    }
    statusDirty = true
    maybeScheduleLearning()
    return outcome
  }

  /// What a rejected label event was, for the log: the event if it decodes and its topic was
  /// right, else the topic.
  private func labelEventText(_ frames: [[UInt8]], _ reason: RejectionReason) -> String {
    guard reason != .unknownTopic, frames.count == 2, case .success(let event) = WireDecoder.decode(
      R4ncl_V1_LabelEvent.self, from: frames[1], maxBytes: configuration.limits.maxPayloadBytes)
    else { return NodeRuntime.topicText(frames) }
    let from = "from \(event.teacher.isEmpty ? "an unnamed teacher" : WireText.line(event.teacher)) #\(event.sequence)"
    let limit = reason == .classCapacity ? "; class ids must be below \(classCapacityText)"
      : reason == .outsideWindow ? "; \(windowText)"
      : reason == .spoolFull ? spoolLimit(for: event, bytes: (try? event.serializedBytes() as [UInt8])?.count ?? 0).map { "; \($0)" } ?? "" : ""
    switch event.event {
    case .announce(let a): return "announcement of class \(a.classID) \"\(WireText.line(a.name))\" \(from)\(limit)"
    case .samples(let s): return "\(s.samples.count) samples of class \(s.classID) \(from)\(limit)"
    case .learnNow(let l):
      let ids = l.classIds.count <= 8 ? "\(l.classIds)" : "\(Array(l.classIds.prefix(8)))... (\(l.classIds.count) ids)"
      return "learn-now of classes \(ids) \(from)"
    case nil: return "no event set, \(from)"
    }
  }

  /// Which spool bound `event` (`serialized` bytes long) would cross (`spool.max_bytes`,
  /// `spool.max_samples_per_class`), nil when it fits. Only announcements and samples are spooled.
  func spoolLimit(for event: R4ncl_V1_LabelEvent, bytes serialized: Int) -> String? {
    switch event.event {
    case .announce, .samples: break
    default: return nil
    }
    let bytes = LabelSpool.recordBytes(serializedCount: serialized)
    if spool.byteCount + bytes > configuration.spoolMaxBytes {
      return "\(spool.byteCount) bytes spooled, this event needs \(bytes) more (spool.max_bytes = \(configuration.spoolMaxBytes))"
    }
    if case .samples(let batch) = event.event {
      let spooled = spool.samples[Int(batch.classID)]?.count ?? 0
      if spooled + batch.samples.count > configuration.spoolMaxSamplesPerClass {
        return "class \(batch.classID) has \(spooled) samples spooled, this event brings \(batch.samples.count) (spool.max_samples_per_class = \(configuration.spoolMaxSamplesPerClass))"
      }
    }
    return nil
  }

  /// Appends to the spool (fsync); a disk failure is logged and reported, the event is lost
  /// but not acknowledged. Returns the failure, nil when the event is on disk.
  private func persist(_ event: R4ncl_V1_LabelEvent, _ serialized: [UInt8]) -> String? {
    do {
      // An event that did not serialize (never seen) goes the slow way, which throws.
      try serialized.isEmpty ? spool.append(event) : spool.append(event, serialized: serialized)
      return nil
    } catch {
      lastError = "\(error)"
      logger.error("\(error)")
      counters.withLock { $0.drop("spool_write_failed") }
      return "spool_write_failed (\(error))"
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
        && (counts[id] ?? 0) >= max(configuration.learnMinSamples, min(spool.awaitedSamples[id] ?? 0, configuration.spoolMaxSamplesPerClass))
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

  /// Where the class id bound comes from, for logs.
  var classCapacityText: String {
    let configured = configuration.limits.classCapacity
    let capacity = classCapacity
    return capacity < configured
      ? "\(capacity), the model's readout rows (limits.class_capacity is \(configured))"
      : "limits.class_capacity = \(configured)"
  }
}
