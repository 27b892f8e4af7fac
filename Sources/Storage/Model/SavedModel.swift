import Learner

/// A network as stored in a model file, with what it needs to be used on its own: class names
/// and free-form training information (optimizer, epochs, accuracy, data path, ...).
public struct SavedModel: Sendable, Equatable {
  public var network: Network
  /// Name of each readout class (empty when unknown).
  public var classNames: [String]
  /// Attributes of the file's `info` group, e.g. `["epochs": .int(30), "optimizer": .string("adamax")]`.
  public var info: [String: HDF5Attribute]

  public init(network: Network, classNames: [String] = [], info: [String: HDF5Attribute] = [:]) {
    self.network = network
    self.classNames = classNames
    self.info = info
  }
}
