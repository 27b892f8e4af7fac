import Foundation
import Learner

extension NetworkConfig {
  /// Every stored field as an HDF5 attribute under its Swift name (`sizes`, `timesteps`,
  /// `tauMem`, ...), found by reflection so new fields appear without code here. These are
  /// for people and h5py; `config_json` is what loading uses.
  var attributeMirror: [String: HDF5Attribute] {
    var result: [String: HDF5Attribute] = [:]
    for child in Mirror(reflecting: self).children {
      guard let label = child.label, let value = NetworkConfig.attribute(child.value) else { continue }
      result[label] = value
    }
    return result
  }

  private static func attribute(_ value: Any) -> HDF5Attribute? {
    switch value {
    case let v as Int: return .int(v)
    case let v as UInt64: return .int(Int(truncatingIfNeeded: v))
    case let v as Bool: return .int(v ? 1 : 0)
    case let v as Double: return .double(v)
    case let v as Float: return .double(Double(v))
    case let v as String: return .string(v)
    case let v as [Int]: return .ints(v)
    case let v as [Bool]: return .ints(v.map { $0 ? 1 : 0 })
    case let v as [Double]: return .doubles(v)
    case let v as [Float]: return .doubles(v.map(Double.init))
    case let v as [String]: return .strings(v)
    default: return .string(String(describing: value))
    }
  }

  /// The lossless JSON form (sorted keys).
  func jsonString() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }
}
