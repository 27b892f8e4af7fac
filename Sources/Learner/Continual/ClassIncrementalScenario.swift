/// Class-incremental learning "N-1 + 1": pretrain on every class but one, then learn the held-out
/// class; with several held-out classes each is run in turn and the results averaged.
public struct ClassIncrementalScenario: Sendable {
  /// Classes to hold out, one run each (e.g. [19], or all 20 classes).
  public var heldOut: [Int]

  public init(heldOut: [Int]) {
    self.heldOut = heldOut
  }

  /// Results per held-out class (outer) and method (inner, in `methods` order).
  public func run(_ methods: [ContinualSettings], on run: ContinualRun) throws -> [[ContinualMethodResult]] {
    let classes = run.data.classCount
    var out: [[ContinualMethodResult]] = []
    for h in heldOut {
      guard h >= 0, h < classes else { throw ContinualError.invalidScenario("held-out class \(h) is outside 0..<\(classes)") }
      let old = (0..<classes).filter { $0 != h }
      run.log?("== class-incremental \(old.count)+1: new class \(h)")
      out.append(try methods.map { try run.run($0, oldClasses: old, newClasses: [h]) })
    }
    return out
  }
}
