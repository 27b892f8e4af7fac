/// How swarm nodes agree on class ids. A class is identified by its name; its id (the readout
/// row) is the one its first teacher chose. When two nodes learned the same name under
/// different ids, the lower id wins, deterministically on both sides: the node holding the
/// higher id moves the class (readout column and replay latents) to the lower one when that
/// row is free there, and the node holding the lower id ignores the peer's shard (the peer
/// moves when it receives ours). Two different names on one id cannot be reconciled without a
/// renumbering authority: that shard is refused as a conflict.
public enum ClassAgreement {
  /// What to do with one class of a peer's shard.
  public enum Decision: Equatable, Sendable {
    /// The name is new here and its id is free: learn it under that id.
    case learn(id: Int, name: String)
    /// Known here under the same id: nothing to do.
    case known(id: Int)
    /// Known here under a lower id: keep ours (the peer moves to it).
    case keepOurs(ours: Int, theirs: Int)
    /// Known here under a higher id and the peer's lower id is free here: move ours to it.
    case moveOurs(from: Int, to: Int)
    /// The id is taken here by another name (or out of range): refuse.
    case conflict(String)
  }

  /// The decision for the peer class (`id`, `name`) given the classes this node knows or was
  /// told about (`local`) and its number of readout rows (`capacity`).
  public static func decide(id: Int, name: String, local: ClassMap, capacity: Int) -> Decision {
    guard !name.isEmpty else { return .conflict("class \(id) has no name") }
    guard (0..<capacity).contains(id) else { return .conflict("class \(id) \"\(name)\" is not a readout row (0..<\(capacity))") }
    if let ours = local.id(of: name) {
      if ours == id { return .known(id: id) }
      if ours < id { return .keepOurs(ours: ours, theirs: id) }
      if let other = local.name(of: id) {
        return .conflict("\"\(name)\" is class \(ours) here and \(id) at the peer, but \(id) is \"\(other)\" here")
      }
      return .moveOurs(from: ours, to: id)
    }
    if let other = local.name(of: id) {
      return .conflict("class \(id) is \"\(other)\" here, \"\(name)\" at the peer")
    }
    return .learn(id: id, name: name)
  }
}
