import Proto

/// Checks a decoded `LabelEvent` against the node's classes: announcements must fit the
/// readout's capacity and not conflict with known classes; samples and learn-now requests must
/// name known or announced classes; every carried sample must itself be valid.
public struct LabelEventValidator: Sendable {
  /// The bounds to enforce.
  public var limits: ValidationLimits

  public init(limits: ValidationLimits) { self.limits = limits }

  /// The first problem found in `event` given the node's `classes` (known and announced),
  /// or nil when it is valid.
  public func problem(in event: R4ncl_V1_LabelEvent, classes: ClassMap) -> RejectionReason? {
    if event.teacher.utf8.count > limits.maxNameBytes { return .nameTooLong }
    switch event.event {
    case nil:
      return .emptyEvent
    case .announce(let announce):
      return announcementProblem(announce, classes: classes)
    case .samples(let batch):
      guard (0..<limits.classCapacity).contains(Int(batch.classID)) else { return .classCapacity }
      guard classes.name(of: Int(batch.classID)) != nil else { return .unknownClass }
      if batch.samples.isEmpty { return .emptySample }
      if batch.samples.count > limits.maxSamplesPerEvent { return .oversized }
      let validator = SpikeSampleValidator(limits: limits)
      for sample in batch.samples {
        if let problem = validator.problem(in: sample) { return problem }
      }
      return nil
    case .learnNow(let request):
      for id in request.classIds where classes.name(of: Int(id)) == nil { return .unknownClass }
      return nil
    }
  }

  private func announcementProblem(_ announce: R4ncl_V1_ClassAnnouncement, classes: ClassMap) -> RejectionReason? {
    let id = Int(announce.classID)
    guard (0..<limits.classCapacity).contains(id) else { return .classCapacity }
    guard !announce.name.isEmpty else { return .classConflict }
    guard announce.name.utf8.count <= limits.maxNameBytes else { return .nameTooLong }
    let knownName = classes.name(of: id)
    let knownID = classes.id(of: announce.name)
    if knownName == nil && knownID == nil { return nil }
    // Re-announcing the same (id, name) is harmless (teachers may repeat themselves).
    return knownName == announce.name && knownID == id ? nil : .classConflict
  }
}
