import Foundation
import XCTest
@testable import Learner

/// One reference network case (Fixtures/case_*.json, see the reference README §1.5), loaded
/// into engine types.
struct ReferenceCase {
  let json: [String: Any]
  let T: Int
  let batch: Int
  let sizes: [Int]
  let recurrent: [Bool]
  let names: [String]
  let inputs: [Double]  // [T][B][Nin]
  let labels: [Int]

  init(_ name: String) throws {
    let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
    json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    T = json["T"] as! Int
    batch = json["batch"] as! Int
    sizes = json["sizes"] as! [Int]
    recurrent = json["recurrent"] as! [Bool]
    names = json["param_names"] as! [String]
    inputs = ReferenceCase.flatten(json["inputs"]!)
    labels = json["labels"] as! [Int]
  }

  static func flatten(_ value: Any) -> [Double] {
    if let a = value as? [Any] { return a.flatMap { flatten($0) } }
    if let n = value as? NSNumber { return [n.doubleValue] }
    return []
  }

  func flat(_ key: String) -> [Double] { ReferenceCase.flatten(json[key]!) }

  func matrix(_ group: String, _ name: String) -> Matrix {
    let rows = (json[group] as! [String: Any])[name] as! [[Any]]
    let values = ReferenceCase.flatten(rows).map { Float($0) }
    return Matrix(rows: rows.count, cols: values.count / rows.count, values: values)
  }

  func nested(_ group: String, _ sub: String, _ name: String) -> Matrix {
    let g = (json[group] as! [String: Any])[sub] as! [String: Any]
    let rows = g[name] as! [[Any]]
    let values = ReferenceCase.flatten(rows).map { Float($0) }
    return Matrix(rows: rows.count, cols: values.count / rows.count, values: values)
  }

  var config: NetworkConfig {
    NetworkConfig(sizes: sizes, recurrent: recurrent, timesteps: T)
  }

  /// The network with the case's stored weights.
  func network() throws -> Network {
    var net = try Network(config: config)
    for name in names { try net.setParameter(name, matrix("weights", name)) }
    return net
  }

  /// The inputs as binned samples (event form), labels attached.
  var binned: [BinnedSample] {
    let n = sizes[0]
    return (0..<batch).map { b in
      var dense = [Float](repeating: 0, count: T * n)
      for t in 0..<T {
        for i in 0..<n { dense[t * n + i] = Float(inputs[(t * batch + b) * n + i]) }
      }
      return BinnedSample(dense: dense, timesteps: T, channelCount: n, label: labels[b])
    }
  }
}
