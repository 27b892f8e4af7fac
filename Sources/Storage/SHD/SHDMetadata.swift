/// What an SHD file holds besides spikes, labels, class names and speakers: root attributes
/// and the other `extra/` datasets (SHD's `extra/meta_info/*`), kept so a read-then-write
/// passes them through unchanged.
public struct SHDMetadata: Equatable, Sendable {
  /// Root attributes by name.
  public var attributes: [String: HDF5Attribute]
  /// 1-D datasets under `extra/` other than `keys` and `speaker`, by path relative to
  /// `extra/` (e.g. "meta_info/age", "text"). Per-sample columns (like shd-dev's `text`) are
  /// the caller's to keep aligned when samples are filtered.
  public var extra: [String: HDF5Array]

  public init(attributes: [String: HDF5Attribute] = [:], extra: [String: HDF5Array] = [:]) {
    self.attributes = attributes
    self.extra = extra
  }
}
