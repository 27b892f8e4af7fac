import Proto

/// The classes a model knows: id (readout row) <-> name, both unique.
public struct ClassMap: Sendable, Equatable {
  private var names: [Int: String]

  /// A map from `names`, id -> name.
  public init(_ names: [Int: String] = [:]) { self.names = names }

  /// A map of consecutive ids 0..<names.count.
  public init(names: [String]) {
    self.names = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.offset, $0.element) })
  }

  /// The name of class `id`, or nil when unknown.
  public func name(of id: Int) -> String? { names[id] }

  /// The id of the class called `name`, or nil when unknown.
  public func id(of name: String) -> Int? { names.first { $0.value == name }?.key }

  /// Number of classes.
  public var count: Int { names.count }

  /// Class ids in ascending order.
  public var ids: [Int] { names.keys.sorted() }

  /// One past the largest id (the readout rows needed), 0 when empty.
  public var rowCount: Int { (names.keys.max() ?? -1) + 1 }

  /// Adds or renames class `id`.
  public mutating func set(_ id: Int, name: String) { names[id] = name }

  /// Removes class `id`.
  public mutating func remove(_ id: Int) { names[id] = nil }

  /// The union of both maps (`other` wins on a shared id).
  public func merging(_ other: ClassMap) -> ClassMap {
    ClassMap(names.merging(other.names) { _, new in new })
  }

  /// The map as protobuf entries, ids ascending.
  public var entries: [R4ncl_V1_ClassEntry] {
    ids.map { id in
      var entry = R4ncl_V1_ClassEntry()
      entry.id = Int32(id)
      entry.name = names[id] ?? ""
      return entry
    }
  }

  /// A map from stored classes (a checkpoint's), checked: every id is a readout row in
  /// `0..<rows` and neither ids nor names repeat. Loading must refuse what serving would trap on
  /// (status entries are 32-bit ids) or answer ambiguously (two classes of one name).
  public init(checking classes: [(id: Int, name: String)], rows: Int) throws {
    var names: [Int: String] = [:]
    var seen = Set<String>()
    for (id, name) in classes {
      guard (0..<rows).contains(id) else {
        throw NodeError.incompatibleModel("class id \(id) is not a readout row (0..<\(rows))")
      }
      guard names[id] == nil else { throw NodeError.incompatibleModel("class id \(id) appears twice") }
      guard seen.insert(name).inserted else {
        throw NodeError.incompatibleModel("class name \"\(WireText.line(name, limit: 80))\" appears twice")
      }
      names[id] = name
    }
    self.names = names
  }

  /// A map from protobuf entries.
  public init(entries: [R4ncl_V1_ClassEntry]) {
    self.names = Dictionary(entries.map { (Int($0.id), $0.name) }) { first, _ in first }
  }
}
